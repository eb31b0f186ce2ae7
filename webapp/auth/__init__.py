from webapp.auth.access import current_origin, current_scope, login_manager, permission_required
from webapp.auth.views import bp

__all__ = ["bp", "current_origin", "current_scope", "login_manager", "permission_required"]
