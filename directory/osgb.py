"""Ordnance Survey National Grid (OSGB36 eastings/northings) to WGS84 latitude/longitude.

Code-Point Open gives grid references; maps, ORUK feeds and distances use WGS84. A seven-parameter
Helmert transform is accurate to about 5 metres across Great Britain, far finer than "2 miles away",
and needs no grid file (OSTN15 would mean shipping or downloading one).
"""
from __future__ import annotations

from math import atan2, cos, degrees, radians, sin, sqrt, tan

# Airy 1830 ellipsoid and the National Grid projection.
_AIRY_A, _AIRY_B = 6377563.396, 6356256.909
_F0 = 0.9996012717
_LAT0, _LON0 = radians(49.0), radians(-2.0)
_N0, _E0 = -100000.0, 400000.0

# GRS80/WGS84 ellipsoid.
_WGS_A, _WGS_B = 6378137.0, 6356752.3141

# OSGB36 -> WGS84: the Ordnance Survey's published WGS84 -> OSGB36 parameters with signs reversed.
_TX, _TY, _TZ = 446.448, -125.157, 542.060
_S = -20.4894e-6
_RX, _RY, _RZ = (radians(v / 3600) for v in (0.1502, 0.2470, 0.8421))


def _grid_to_airy(easting: float, northing: float) -> tuple[float, float]:
    a, b, f0 = _AIRY_A, _AIRY_B, _F0
    e2 = 1 - (b * b) / (a * a)
    n = (a - b) / (a + b)
    n2, n3 = n * n, n * n * n
    lat, m = _LAT0, 0.0
    while True:
        lat = (northing - _N0 - m) / (a * f0) + lat
        ma = (1 + n + 1.25 * n2 + 1.25 * n3) * (lat - _LAT0)
        mb = (3 * n + 3 * n2 + 21 / 8 * n3) * sin(lat - _LAT0) * cos(lat + _LAT0)
        mc = (15 / 8 * n2 + 15 / 8 * n3) * sin(2 * (lat - _LAT0)) * cos(2 * (lat + _LAT0))
        md = 35 / 24 * n3 * sin(3 * (lat - _LAT0)) * cos(3 * (lat + _LAT0))
        m = b * f0 * (ma - mb + mc - md)
        if abs(northing - _N0 - m) < 0.00001:
            break
    sin_lat, cos_lat = sin(lat), cos(lat)
    nu = a * f0 / sqrt(1 - e2 * sin_lat**2)
    rho = a * f0 * (1 - e2) / (1 - e2 * sin_lat**2) ** 1.5
    eta2 = nu / rho - 1
    t = tan(lat)
    t2, t4, t6 = t * t, t**4, t**6
    sec = 1 / cos_lat
    vii = t / (2 * rho * nu)
    viii = t / (24 * rho * nu**3) * (5 + 3 * t2 + eta2 - 9 * t2 * eta2)
    ix = t / (720 * rho * nu**5) * (61 + 90 * t2 + 45 * t4)
    x = sec / nu
    xi = sec / (6 * nu**3) * (nu / rho + 2 * t2)
    xii = sec / (120 * nu**5) * (5 + 28 * t2 + 24 * t4)
    xiia = sec / (5040 * nu**7) * (61 + 662 * t2 + 1320 * t4 + 720 * t6)
    de = easting - _E0
    lat_out = lat - vii * de**2 + viii * de**4 - ix * de**6
    lon_out = _LON0 + x * de - xi * de**3 + xii * de**5 - xiia * de**7
    return lat_out, lon_out


def grid_to_wgs84(easting: float, northing: float) -> tuple[float, float]:
    """Return (latitude, longitude) in degrees, WGS84, for a National Grid reference in metres."""
    lat, lon = _grid_to_airy(easting, northing)
    # Geodetic (Airy) -> cartesian.
    e2 = 1 - (_AIRY_B**2) / (_AIRY_A**2)
    nu = _AIRY_A / sqrt(1 - e2 * sin(lat) ** 2)
    x1 = nu * cos(lat) * cos(lon)
    y1 = nu * cos(lat) * sin(lon)
    z1 = (1 - e2) * nu * sin(lat)
    # Helmert.
    s1 = _S + 1
    x2 = _TX + x1 * s1 - y1 * _RZ + z1 * _RY
    y2 = _TY + x1 * _RZ + y1 * s1 - z1 * _RX
    z2 = _TZ - x1 * _RY + y1 * _RX + z1 * s1
    # Cartesian -> geodetic (WGS84), iterating on latitude.
    e2w = 1 - (_WGS_B**2) / (_WGS_A**2)
    p = sqrt(x2 * x2 + y2 * y2)
    phi = atan2(z2, p * (1 - e2w))
    while True:
        nu_w = _WGS_A / sqrt(1 - e2w * sin(phi) ** 2)
        nxt = atan2(z2 + e2w * nu_w * sin(phi), p)
        if abs(nxt - phi) < 1e-12:
            phi = nxt
            break
        phi = nxt
    return degrees(phi), degrees(atan2(y2, x2))
