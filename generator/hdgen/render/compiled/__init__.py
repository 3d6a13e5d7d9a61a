"""Templates compiled by hdgen.render.templating: generated, do not edit."""
