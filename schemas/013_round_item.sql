-- ptlims schema 013: a matrix per item.
--
-- A round's matrix (round_measurand.matrix) named one product for all of
-- its items, so a bilateral round that sent a diesel and a fuel oil
-- sample carried one of them under the other's name, and `compare` ran
-- both through one trend.  round_item gives an item its own matrix
-- (rounds files: the optional column item_matrix, "D-1=diesel;
-- FO-1=fuel oil").  An item without a row keeps the round's matrix:
-- coalesce(round_item.matrix, round_measurand.matrix) is the item's
-- product wherever one is needed (the compare series, the method's
-- precision for that product).  A closed round's items cannot change.
CREATE TABLE round_item (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES round(id),
    measurand TEXT NOT NULL,
    item TEXT NOT NULL,
    matrix TEXT NOT NULL,
    UNIQUE (round_id, measurand, item)
);

CREATE TRIGGER round_item_closed_insert BEFORE INSERT ON round_item
WHEN (SELECT status FROM round WHERE id = NEW.round_id) = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;

CREATE TRIGGER round_item_closed_update BEFORE UPDATE ON round_item
WHEN (SELECT status FROM round WHERE id = OLD.round_id) = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;

CREATE TRIGGER round_item_closed_delete BEFORE DELETE ON round_item
WHEN (SELECT status FROM round WHERE id = OLD.round_id) = 'closed'
BEGIN
    SELECT RAISE(ABORT, 'round is closed');
END;
