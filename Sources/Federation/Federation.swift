/// Portals, OAuth 2.0 / OpenID Connect, the ESIA dialect, tokens, consent and logout. Built by the federation issue.
///
/// The module exists now so the package has its final shape and dependency direction; it holds no code yet.
public enum Federation {}
