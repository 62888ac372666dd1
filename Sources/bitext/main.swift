print("bitext")
