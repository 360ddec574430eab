-- obeya board, schema 9: who has the board open is no longer written into it. Each
-- running obeya keeps one small file of its own in a folder beside the board
-- (`BOARD.presence/`), so opening, reading or leaving a wall idle never writes the
-- board file: a sync tool sees no change to copy, and two idle walls on two machines
-- make no conflict copy.
DROP TABLE presence;
