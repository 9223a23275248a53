LR = 0.1
class Train:
    epochs = 5
