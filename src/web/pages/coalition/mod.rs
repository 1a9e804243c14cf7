//! A coalition's pages, one file a resource (its members, goals, indicators, measurements,
//! actions, journal…), all under `/coalitions/{slug}`.
