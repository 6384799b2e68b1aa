"""Pages of the figures (the CB's administrators and programme managers): the list of figures, one page per
figure with its chart and tables, and the CSV/XLSX download of each table. Bad filter input is shown on the
form (422), with no figure."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.views.decorators.http import require_safe

from conformo.figures.exports import CONTENT_TYPES, table_csv, table_xlsx
from conformo.figures.filters import FigureFilter, cb_for_figures, figure_filter
from conformo.figures.forms import FigureFilterForm
from conformo.figures.selectors import FIGURES, figure_for
from conformo.figures.tables import Figure, Table
from conformo.readiness.charts import bar_chart


def _figure(
    request: HttpRequest, slug: str, *, full: bool = False
) -> tuple[Any, FigureFilterForm, FigureFilter | None, Figure | None]:
    """The CB, the filter form, and — when the filter is valid — the filter and the figure."""
    if slug not in FIGURES:
        raise Http404("No such figure.")
    cb = cb_for_figures(request.user)
    form = FigureFilterForm.from_query(request.GET)
    if not form.is_valid():
        return cb, form, None, None
    chosen = figure_filter(cb=cb, today=timezone.localdate(), **form.parts())
    return cb, form, chosen, figure_for(slug, chosen, full=full)


def _body(table: Table) -> SafeString:
    """The table's rows as HTML, every cell escaped: built in Python, as a table of several hundred rows (audit
    days over a year by quarter) costs a template loop about 200 ms."""
    return format_html_join(
        "\n",
        "<tr>{}</tr>",
        ((format_html_join("", "<td>{}</td>", ((cell,) for cell in row)),) for row in table.cells()),
    )


@login_required
@require_safe
def figures_home(request: HttpRequest) -> HttpResponse:
    cb = cb_for_figures(request.user)
    form = FigureFilterForm.from_query(request.GET)
    status = 200 if form.is_valid() else 422
    return render(
        request,
        "figures/home.html",
        {"cb": cb, "form": form, "figures": [(slug, title) for slug, (title, _) in FIGURES.items()]},
        status=status,
    )


@login_required
@require_safe
def figure_page(request: HttpRequest, slug: str) -> HttpResponse:
    cb, form, chosen, figure = _figure(request, slug)
    chart = None
    if figure is not None and figure.bars:
        chart = bar_chart(figure.bars, title=figure.chart_title, unit=figure.unit, maximum=None)
    context = {
        "cb": cb,
        "form": form,
        "tables": [(table, _body(table)) for table in figure.tables] if figure is not None else [],
        "slug": slug,
        "title": FIGURES[slug][0],
        "chosen": chosen,
        "figure": figure,
        "chart": chart,
        "query": request.GET.urlencode(),
    }
    return render(request, "figures/figure.html", context, status=200 if figure is not None else 422)


@login_required
@require_safe
def table_download(request: HttpRequest, slug: str, table: str, fmt: str) -> HttpResponse:
    """One table of a figure as CSV or XLSX, in words, with the filter of the page it was downloaded from."""
    if slug not in FIGURES or fmt not in CONTENT_TYPES:
        raise Http404("No such figure.")
    cb, form, chosen, figure = _figure(request, slug, full=True)  # every listed row, not only the page's first
    if figure is None or chosen is None:
        return render(
            request,
            "figures/figure.html",
            {"cb": cb, "form": form, "slug": slug, "title": FIGURES[slug][0], "query": ""},
            status=422,
        )
    found = figure.table(table)
    if found is None:
        raise Http404("No such table.")
    body = (
        table_csv(found)
        if fmt == "csv"
        else table_xlsx(found, heading=f"{found.title}, {cb.name}, {chosen.start} to {chosen.end}")
    )
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{slug}-{found.key}-{chosen.start}-{chosen.end}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
