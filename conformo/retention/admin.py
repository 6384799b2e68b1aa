from django.contrib import admin

from conformo.retention.models import RetentionLogEntry, RetentionPolicy, RetentionRun

admin.site.register(RetentionPolicy)
admin.site.register(RetentionRun)
admin.site.register(RetentionLogEntry)
