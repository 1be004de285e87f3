/// Activation codes, post-office letters, service centres and staff. Built by the activation issue.
///
/// The module exists now so the package has its final shape and dependency direction; it holds no code yet.
public enum Activation {}
