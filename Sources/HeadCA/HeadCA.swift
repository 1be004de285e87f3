/// The head certification authority: trust anchors, accredited CAs, revocation and e-signature login. Built by the head CA issue.
///
/// The module exists now so the package has its final shape and dependency direction; it holds no code yet.
public enum HeadCA {}
