from __future__ import annotations

from onrecord.links.stories import Doc, StoryConfig, group_stories

STRIKE = [
    Doc(1, "2024-04-01", "Selden dock workers strike", "Dock workers at Port Selden walked out over pay, the "
        "Selden Dockers Union said. Ferries to Marrow Island were cancelled.", ["person:ada brink"]),
    Doc(2, "2024-04-02", "Selden port strike enters second day", "The strike at Port Selden entered a second day "
        "as the Selden Dockers Union rejected a pay offer. Marrow Island ferries stayed in harbour.",
        ["person:ada brink"]),
    Doc(3, "2024-04-03", "Selden strike ends", "Dockers at Port Selden accepted a new pay offer and the union "
        "called off the strike; ferries to Marrow Island resumed.", []),
]
SNOW = [
    Doc(4, "2024-04-02", "Snow closes Brenwick pass", "Heavy snow closed the Brenwick pass and schools in the "
        "Ulster valleys stayed shut, the regional council said.", []),
    Doc(5, "2024-05-20", "Selden dock workers strike again", "Dock workers at Port Selden walked out over pay "
        "again, the Selden Dockers Union said. Ferries to Marrow Island were cancelled.", ["person:ada brink"]),
]
BACKGROUND = [Doc(100 + i, "2024-04-01", f"Item {i}", f"Harvest figures for district {i} in the {w} region were "
                  "published by the farm bureau.", []) for i, w in enumerate("north south east west".split())]

CONFIG = StoryConfig(threshold=0.3, min_shared=2, min_max_df=5)


def story_of(stories):
    return {a: s.articles[0] for s in stories for a in s.articles}


def test_articles_on_one_event_form_a_story():
    got = story_of(group_stories(STRIKE + SNOW + BACKGROUND, config=CONFIG))
    assert got[1] == got[2] == got[3]
    assert got[4] != got[1]


def test_the_time_window_separates_a_later_event():
    got = story_of(group_stories(STRIKE + SNOW + BACKGROUND, config=CONFIG))
    assert got[5] != got[1]
    wide = StoryConfig(threshold=0.3, min_shared=2, min_max_df=5, window_days=60)
    assert story_of(group_stories(STRIKE + SNOW + BACKGROUND, config=wide))[5] == got[1]


def test_near_duplicates_always_share_a_story():
    got = story_of(group_stories(SNOW + BACKGROUND, dup_of={4: 4, 101: 4}, config=CONFIG))
    assert got[101] == got[4] == 4


def test_every_article_ends_in_exactly_one_story():
    docs = STRIKE + SNOW + BACKGROUND
    stories = group_stories(docs, config=CONFIG)
    ids = sorted(a for s in stories for a in s.articles)
    assert ids == sorted(d.id for d in docs)
    first = next(s for s in stories if 1 in s.articles)
    assert (first.first_date, first.last_date, first.title) == ("2024-04-01", "2024-04-03",
                                                                "Selden dock workers strike")
