/// Portals, OAuth 2.0 / OpenID Connect, the ESIA dialect, tokens, consent and logout. Built by the federation issue.
///
/// The portal registry (`PortalRegistry`, docs/portals.md), token-signing keys (`SigningKeyStore`, docs/tokens.md), the
/// OpenID provider (`OpenIDProvider`, docs/oidc.md) and the ESIA dialect on its data (`ESIAProvider`, docs/esia.md).
public enum Federation {}
