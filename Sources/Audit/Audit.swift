/// The append-only, hash-chained audit log of security-relevant events. Built by the citizens issue.
///
/// The module exists now so the package has its final shape and dependency direction; it holds no code yet.
public enum Audit {}
