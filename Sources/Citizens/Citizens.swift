/// Registration, identity documents (SNILS, passport, INN), account levels, credentials and login sessions. Built by the citizens issue.
///
/// The module exists now so the package has its final shape and dependency direction; it holds no code yet.
public enum Citizens {}
