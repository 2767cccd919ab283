//! Figure output (PNG + SVG): time series, lattice magnetisation maps, and the sweep figures
//! (accuracy versus energy, energy breakdown, heat maps).
pub mod accuracy_energy;
pub mod cell_map;
pub mod energy_breakdown;
pub mod fmr_map;
pub mod heatmap;
pub mod lattice_map;
pub mod m_compare;
pub mod style;
pub mod timeseries;
pub mod xy;

pub use accuracy_energy::{accuracy_vs_energy, pareto_front, AccuracyEnergy, Scatter};
pub use cell_map::{cell_map, scalar_map, CellMap, CellValues, ScalarMap};
pub use energy_breakdown::{energy_breakdown, Breakdown};
pub use fmr_map::{fmr_map, FmrMap};
pub use heatmap::{heatmap, HeatMap};
pub use lattice_map::{lattice_frames, lattice_gif, lattice_map, IslandGlyph};
pub use m_compare::{m_compare, MCompare, MSource};
pub use style::PlotResult;
pub use timeseries::{line_plot, line_plot_fixed_y, m_vs_t};
pub use xy::{xy_plot, XyPlot, XySeries, XyStyle};
