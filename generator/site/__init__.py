"""The public site as a model: Project → typed pages, navigation, feeds, sitemap. No MkDocs here.

`plan_site` decides what is published and where; the MkDocs plugin only renders the plan.
"""

from .options import Footer, SiteOptions
from .planning import SitePlan, plan_site

__all__ = ["Footer", "SiteOptions", "SitePlan", "plan_site"]
