"""DfE LAIT extract (every English council's published figures) -> validated frames plus problems.

The extract is five files: the long values table (parquet), the data dictionary (CSV), the LA
code list and two statistical-neighbour workbooks. Values arrive as text; a not-available mark
(`-`, `c`, `x`, `z`, `low`, ...) is stored as a missing value with the mark kept. Periods keep
their published label ('2014-16', '2016-17 (OT)') plus a sortable end year.

One module per job: model (data classes, columns), labels (small parsers), tables (shared reader
helpers), values, dictionary, neighbours, areas, benchmark_map, and extract (a folder read whole).
The names importers use are re-exported here.
"""

from loaders.lait.areas import read_areas
from loaders.lait.benchmark_map import read_benchmark_map
from loaders.lait.dictionary import read_dictionary
from loaders.lait.extract import file_role, find_files, read_directory, read_lait
from loaders.lait.labels import (
    NO_DIRECTION,
    TRANSFORM_EXPECTED,
    excel_serial_date,
    parse_lait_polarity,
    parse_period,
    parse_transform,
)
from loaders.lait.model import (
    AREA_COLUMNS,
    ENGLAND,
    MAP_COLUMNS,
    MEASURE_COLUMNS,
    NEIGHBOUR_COLUMNS,
    REGION_CODES,
    BenchmarkMap,
    LaitData,
    LaitFile,
    MissingLaitFile,
)
from loaders.lait.neighbours import read_neighbours
from loaders.lait.values import clean_values, read_values

__all__ = [
    "AREA_COLUMNS",
    "BenchmarkMap",
    "ENGLAND",
    "LaitData",
    "LaitFile",
    "MAP_COLUMNS",
    "MEASURE_COLUMNS",
    "MissingLaitFile",
    "NEIGHBOUR_COLUMNS",
    "NO_DIRECTION",
    "REGION_CODES",
    "TRANSFORM_EXPECTED",
    "clean_values",
    "excel_serial_date",
    "file_role",
    "find_files",
    "parse_lait_polarity",
    "parse_period",
    "parse_transform",
    "read_areas",
    "read_benchmark_map",
    "read_dictionary",
    "read_directory",
    "read_lait",
    "read_neighbours",
    "read_values",
]
