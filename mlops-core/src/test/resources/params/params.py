"""Doc string."""
import os
from x import (a,
    b)

LR = 0.001
EPOCHS: int = 10
NAME = "res" 'net'
LAYERS = [1, 2, (3, 4)]
TUP = 1, 2
NEG = -5
HEX = 0xFF
BIG = 123456789012345678901234567890
SCI = 1e-5
FLAG = True
NOTHING = None
D = {"a": 1, 'b': [True, None], 3: "x"}
S = {1, 2, 2}
PATH = os.path.join("a", "b")
a = b = 3
x, y = 1, 2
ESC = "tab\there\\ \u00e9 \x41"
RAW = r"c:\new"
MULTI = """line1
line2"""
COUNT = 5; OTHER = 6
WRAPPED = (
    "part1"
    "part2"
)
self.top = 7
obj.attr = 8
LR2 = LR * 2

if LR:
    HIDDEN = 1

def helper():
    INSIDE = 1

class Train:
    epochs = 3
    opt: str = "adam"

    class Nested:
        depth = 2

    def __init__(self, x):
        self.batch = 32
        self.dyn = x
        local = 1

    def other(self):
        self.nope = 1

@decorator
class Deco:
    v = 1
