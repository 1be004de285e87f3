print("openesia: not wired yet")
