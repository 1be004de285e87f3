print("fuzz target not built yet")
