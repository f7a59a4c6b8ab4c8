"""Check every excerpt against the text of its source, where we hold that text.

The texts live in fixtures/sources/, named by the source's seed file. An
excerpt passes when each piece of it (split at "…") appears in the source, in
order, once whitespace and quote styles are made alike. Sources whose text we
do not hold are listed as unverified, so their count stays visible. Exits
non-zero when any excerpt does not match.
"""

from django.core.management.base import BaseCommand, CommandError

from timeline.domain.source_texts import matches, text_of
from timeline.models import Citation


class Command(BaseCommand):
    help = "Check every citation's excerpt against its source's text (fixtures/sources/); non-zero exit on a mismatch."

    def handle(self, *args, **options):
        wrong, checked, unverified = [], 0, {}
        text_of.cache_clear()  # a text edited since: read afresh
        for citation in Citation.objects.select_related("event", "source").order_by("source_id", "id"):
            source = citation.source
            text = text_of(source.seed_file)
            if text is None:
                unverified[source.title] = unverified.get(source.title, 0) + 1
                continue
            checked += 1
            if not matches(citation.excerpt, text):
                wrong.append(
                    f"“{citation.event.title}” ({citation.event.slug}) cites {source.seed_file}: "
                    f"“{citation.excerpt}” is not in the text."
                )
        self.stdout.write(
            f"{checked} excerpt{'s' if checked != 1 else ''} checked against the text of their source; "
            f"{sum(unverified.values())} unverified (no text held)."
        )
        for title, n in sorted(unverified.items()):
            self.stdout.write(f"  unverified: {n} from “{title}”")
        if wrong:
            raise CommandError(
                f"{len(wrong)} excerpt{'s' if len(wrong) != 1 else ''} not found in their source:\n" + "\n".join(wrong)
            )
        self.stdout.write("Every checked excerpt is in its source.")
