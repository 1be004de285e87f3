/// Portals, OAuth 2.0 / OpenID Connect, the ESIA dialect, tokens, consent and logout. Built by the federation issue.
///
/// Today: the portal (relying party) registry, `PortalRegistry` (docs/portals.md).
public enum Federation {}
