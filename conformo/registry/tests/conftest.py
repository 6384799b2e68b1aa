from conformo.certificates.tests.conftest import (  # noqa: F401 - fixtures shared with the certificate tests
    _keys_in_tmp,
    accredited_cb,
    acme_sites,
    certification,
    ems,
    granted,
    qms,
)
