from conformo.audits.tests.conftest import acme_sites, programme, ready, stage1_done

__all__ = ["acme_sites", "programme", "ready", "stage1_done"]
