"""Partner systems: agreements (clients), the DCI registry API's domain, deliveries, overlap.

Importing the package installs the listeners that turn registry changes into notifications.
"""

from registry.partners import events as _events  # noqa: F401
