"""The English of the screens' own Japanese (web.i18n.tr, ``_()`` in the templates): one table
per screen, keyed by the Japanese exactly as the template writes it (placeholders such as
``{count}`` kept), merged here. Data shown on a screen is never translated."""

from web.english import camera, common, copies, delivery, ledger, printing, scan, settings, values

ENGLISH: dict[str, str] = {}
for _table in (values.ENGLISH, camera.ENGLISH, common.ENGLISH, copies.ENGLISH, delivery.ENGLISH, ledger.ENGLISH, printing.ENGLISH,
               scan.ENGLISH, settings.ENGLISH):
    ENGLISH.update(_table)
