"""What a published event needs: the one publishing rule.

A published event has a summary in our own words (the English one), at least one citation, and each of its
people's role at the time. A draft needs none of these. The rule is stated here once, on plain data (the
posted form's or the saved event's), so each place that enforces it says the same: Event.publish_problems
(the admin's publish action), the event, citation and person forms (timeline.editing.forms), the Citation
page's delete confirmation (timeline.admin.records) and restoring a version (timeline.editing.history).

The Chinese forms are recommended, never required (Event.missing_chinese).
"""

PUBLISHED = "published"  # Event.Status.PUBLISHED: the domain knows no models


def is_published(status):
    return status == PUBLISHED


def given(text):
    """Whether a required text is written: blank, or only spaces, is not."""
    return bool((text or "").strip())


# --- the rule ------------------------------------------------------------------------


def lacks_summary(summary):
    return not given(summary)


def lacks_citation(citations):
    """`citations`: how many the event has, or would keep."""
    return not citations


def lacks_role(role):
    return not given(role)


def problems(*, summary, citations, roles):
    """Why an event with this summary, this many citations and its people's `roles` cannot be published (or
    stay published), in a few words each; [] when it can."""
    found = []
    if lacks_summary(summary):
        found.append("no summary")
    if lacks_citation(citations):
        found.append("no citation")
    if any(lacks_role(role) for role in roles):
        found.append("a person without a role")
    return found


# --- the rule, as each form or page says it --------------------------------------------
# Each returns the message refusing what was posted, or None when the rule allows it. `event` and `person`
# are what the message names them (their str()).


def summary_error(*, status, summary):
    """An event posted with this status and summary."""
    if is_published(status) and lacks_summary(summary):
        return "A published event needs a summary in our own words."
    return None


def citations_error(*, status, citations):
    """An event posted with this status, keeping this many citations."""
    if is_published(status) and lacks_citation(citations):
        return "A published event needs at least one citation. Add one, or save it as a draft."
    return None


def role_error(*, status, event, person, role):
    """A person posted on an event with this status, with this role."""
    if is_published(status) and lacks_role(role):
        return f"“{event}” is published: give {person}'s role at the time, or unpublish the event first."
    return None


def moved_citation_error(*, status, event, others):
    """A citation moved off an event with this status, which has `others` citations besides it."""
    if is_published(status) and lacks_citation(others):
        return (
            f"This is the only citation of the published event “{event}”; add another citation to it, "
            "or unpublish it, before moving this one."
        )
    return None


def deleted_citations_problem(*, status, event, kept):
    """Deleting citations of an event with this status, which keeps `kept` of its citations: why not (the
    delete confirmation lists it among what is protected)."""
    if is_published(status) and lacks_citation(kept):
        return (
            f"the only citation of the published event “{event}” (add another citation, or unpublish the event, first)"
        )
    return None


def restore_error(*, status, event, citations):
    """Restoring another record's version took citations from an event with this status, leaving it `citations`."""
    if is_published(status) and lacks_citation(citations):
        return (
            f"Restoring this version would take the only citation of the published event “{event}”; "
            "add it another citation first."
        )
    return None
