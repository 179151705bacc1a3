from django.contrib import admin

from core.models import CalendarDay


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working_day", "kind", "note"]
    list_filter = ["kind", "is_working_day"]
    date_hierarchy = "date"
    search_fields = ["note"]
