"""Template context shared by every page."""

from core.authority import authority as current_authority


def authority(request):
    return {"authority": current_authority()}
