from django.contrib import admin
from django.urls import path

from timeline import views

urlpatterns = [
    path("", views.timeline, name="timeline"),
    path("events/<slug:slug>/", views.event_detail, name="event_detail"),
    path("admin/", admin.site.urls),
]
