"""The Solara page: SolaraViz controls generated from the parameter schema, and the page itself."""
