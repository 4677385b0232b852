-- Version 1 of the class server's database: classes, learners, tokens, link codes,
-- answers, exams, published decks and failed code attempts. `{id}` stands for the
-- identity column of the database in use (see db.py). Applied once, in order, at start.
CREATE TABLE classes (
    id {id},
    name TEXT NOT NULL UNIQUE,
    join_hash TEXT NOT NULL UNIQUE,
    created_ms BIGINT NOT NULL
);
CREATE TABLE learners (
    id {id},
    class_id BIGINT NOT NULL REFERENCES classes (id),
    name TEXT NOT NULL,
    seq BIGINT NOT NULL DEFAULT 0,
    created_ms BIGINT NOT NULL,
    UNIQUE (class_id, name)
);
CREATE TABLE tokens (
    id {id},
    hash TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    class_id BIGINT NOT NULL REFERENCES classes (id),
    learner_id BIGINT REFERENCES learners (id),
    created_ms BIGINT NOT NULL
);
CREATE TABLE link_codes (
    hash TEXT PRIMARY KEY,
    learner_id BIGINT NOT NULL REFERENCES learners (id),
    expires_ms BIGINT NOT NULL
);
CREATE TABLE answers (
    learner_id BIGINT NOT NULL REFERENCES learners (id),
    uid TEXT NOT NULL,
    seq BIGINT NOT NULL,
    origin BIGINT,
    deck_id TEXT NOT NULL,
    card_id TEXT NOT NULL,
    reviewed_ms BIGINT NOT NULL,
    mode TEXT NOT NULL,
    answer TEXT,
    outcome TEXT NOT NULL,
    rating INTEGER NOT NULL,
    duration_ms BIGINT,
    scheduled INTEGER NOT NULL,
    PRIMARY KEY (learner_id, uid)
);
CREATE INDEX answers_seq ON answers (learner_id, seq);
CREATE TABLE exams (
    learner_id BIGINT NOT NULL REFERENCES learners (id),
    uid TEXT NOT NULL,
    seq BIGINT NOT NULL,
    origin BIGINT,
    taken_ms BIGINT NOT NULL,
    decks TEXT NOT NULL,
    tags TEXT NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    max_score DOUBLE PRECISION NOT NULL,
    duration_ms BIGINT,
    results TEXT NOT NULL,
    PRIMARY KEY (learner_id, uid)
);
CREATE INDEX exams_seq ON exams (learner_id, seq);
CREATE TABLE decks (
    class_id BIGINT NOT NULL REFERENCES classes (id),
    deck_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    content TEXT NOT NULL,
    published_ms BIGINT NOT NULL,
    PRIMARY KEY (class_id, deck_id, sha256)
);
CREATE TABLE failed_attempts (
    address TEXT NOT NULL,
    at_ms BIGINT NOT NULL
);
CREATE INDEX failed_attempts_address ON failed_attempts (address, at_ms);
