from django.contrib import admin
from django.urls import path

from timeline import views

urlpatterns = [
    path("", views.timeline, name="timeline"),
    path("events.json", views.events_json, name="events_json"),
    path("events/<slug:slug>/", views.event_detail, name="event_detail"),
    path("people/<slug:slug>/", views.person_detail, name="person_detail"),
    path("crimes/<slug:slug>/", views.crime_detail, name="crime_detail"),
    path("admin/", admin.site.urls),
]
