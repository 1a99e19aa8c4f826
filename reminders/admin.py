from django.contrib import admin

from reminders.models import PushSubscription, Reminder, ReminderClaim


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["owner", "kind", "local_time", "by_email", "by_push", "next_due_at"]
    list_filter = ["kind", "by_email", "by_push"]
    raw_id_fields = ["owner", "routine"]
    readonly_fields = ["next_due_at", "next_local_date"]


@admin.register(ReminderClaim)
class ReminderClaimAdmin(admin.ModelAdmin):
    """What the scheduler claimed and what the workers did with it (no message text)."""

    list_display = ["reminder", "local_date", "local_time", "status", "outcome", "finished_at"]
    list_filter = ["status"]
    date_hierarchy = "claimed_at"
    readonly_fields = [field.name for field in ReminderClaim._meta.fields]


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["owner", "created_at"]
    raw_id_fields = ["owner"]
    fields = ["owner", "created_at"]
    readonly_fields = ["created_at"]
