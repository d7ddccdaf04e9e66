"""Pure computations of the evaluation engine: no ORM, no Django."""
