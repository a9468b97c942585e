"""The accession kiosk: the domain of 受入 (accession) in a Japanese school library."""
