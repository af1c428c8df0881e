"""The grants pages: ``grants`` for funders, grants and the list of spending,
``records`` for what belongs to one grant."""
