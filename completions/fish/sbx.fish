# placeholder, written by the docs work
