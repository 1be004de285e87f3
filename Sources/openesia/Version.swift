/// The version `openesia version` prints; the one place it is written.
let openESIAVersion = "0.1.0-dev"
