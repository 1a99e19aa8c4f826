from django.core.management.base import BaseCommand, CommandError, CommandParser

from routines.content import ContentError, load_content


class Command(BaseCommand):
    help = (
        "Load the stretches, guide pages and starter sessions from fixtures/. Safe to run "
        "again: creates what is missing, never duplicates, keeps admin edits unless --reset, "
        "and never touches people's own data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Overwrite existing content with the fixture text (undoes admin edits).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would change, save nothing.",
        )

    def handle(self, *args, reset: bool, dry_run: bool, **options) -> None:
        try:
            report = load_content(reset=reset, dry_run=dry_run)
        except ContentError as exc:
            raise CommandError(f"Content not loaded: {exc}") from exc
        if options["verbosity"] == 0:
            return
        verb = "would be" if dry_run else "were"
        for label, counts in report.sections():
            self.stdout.write(
                f"{label.capitalize()}: {counts.created} {verb} created, "
                f"{counts.updated} {verb} updated, {counts.kept} left as they were."
            )
            if counts.differs:
                self.stdout.write(
                    self.style.WARNING(
                        f"  {len(counts.differs)} {label} differ from fixtures/ and were kept "
                        f"(edited in the admin?): {', '.join(counts.differs)}. "
                        "Run with --reset to restore them."
                    )
                )
        if dry_run:
            self.stdout.write(self.style.NOTICE("Dry run: nothing was saved."))
        else:
            self.stdout.write(self.style.SUCCESS("Content is up to date."))
