"""Reference data as the API shows it: codes first, both names always."""

from rest_framework import serializers

from registry.models import Commodity, County, Currency, Event, Province, Sector


class ProvinceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = ["id", "code", "name_fa", "name_en"]


class CountySerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = County
        fields = ["id", "code", "name_fa", "name_en", "province"]


class SectorSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Sector
        fields = ["id", "code", "name_fa", "name_en", "parent", "isic_section"]


class CommoditySerializer(serializers.ModelSerializer):
    class Meta:
        model = Commodity
        fields = ["id", "code", "name_fa", "name_en"]


class CurrencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Currency
        fields = ["code", "name_fa", "name_en"]


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = Event
        fields = ["slug", "name_fa", "name_en", "starts_on", "ends_on"]
