package org.hesspec.report;

import java.nio.file.Path;

/**
 * A figure as written to disk, what {@link HtmlReport} embeds.
 *
 * @param name file base name
 * @param title its title
 * @param caption its caption
 * @param png the PNG file
 * @param svg the SVG file
 * @param pdf the PDF file
 */
public record RenderedFigure(
    String name, String title, String caption, Path png, Path svg, Path pdf) {}
