"""Conformo's certification rules as plain Python: no Django, no other ``conformo`` package.

Modules: ``audit_time`` (IAF MD 5, ISO/IEC 27006-1, IAF MD 11), ``personnel`` (effective personnel),
``sampling`` (IAF MD 1), ``cycle`` (ISO/IEC 17021-1 cycle dates), ``nonconformity`` (finding deadlines),
``certificate_states`` (the certificate state machine). Every CB choice lives in ``settings.RuleSettings``;
every figure comes with a ``trace`` of the rules applied and their sources. See ``docs/rules.md``.
"""
