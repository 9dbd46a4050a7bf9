-- ptlims schema 006: the results of each group, packed for evaluation.
--
-- Evaluating a round needs six numbers of each result: id, laboratory,
-- version, value, U and k.  Reading them row by row from `result` costs
-- about a microsecond a result in SQLite, more than the whole evaluation
-- of it, so each group (round, measurand, item) also keeps them packed in
-- one blob (plugins/core/pt_pack.h): the records ordered by laboratory,
-- the latest version first, 44 bytes each.  ptlims writes a group's pack
-- in the same transaction as the results it packs (import, correct, sync
-- apply); `ptlims verify` rebuilds every pack from the result rows and
-- names any pack that differs.  Right after this migration ptlims packs
-- every group's results as found.
CREATE TABLE result_pack (
    id        INTEGER PRIMARY KEY,
    round_id  INTEGER NOT NULL REFERENCES round (id),
    measurand TEXT NOT NULL,
    item      TEXT NOT NULL,
    n         INTEGER NOT NULL,     -- records in data
    data      BLOB NOT NULL,        -- n x 44 bytes, pt_pack.h
    UNIQUE (round_id, measurand, item)
);
