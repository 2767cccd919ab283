//! Figure output: time series and lattice magnetisation maps (PNG + SVG).
pub mod lattice_map;
pub mod style;
pub mod timeseries;

pub use lattice_map::{lattice_map, IslandGlyph};
pub use style::PlotResult;
pub use timeseries::{line_plot, line_plot_fixed_y, m_vs_t};
