//! The picture of [`super::dot`] drawn as SVG, laid out here by the layout-rs crate (no
//! Graphviz needed; its layout is not Graphviz's: `newskg export --format dot` gives the DOT for
//! Graphviz itself).

use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::Point;
use layout::core::style::StyleAttr;

/// `dot` laid out and drawn as SVG.
pub fn svg(dot: &str) -> std::result::Result<String, String> {
    let dot = dot.to_string();
    // the layout crate asserts on shapes it cannot lay out: a picture that fails is an error
    // of that request, never the end of the process
    std::panic::catch_unwind(move || {
        let mut parser = layout::gv::DotParser::new(&dot);
        let tree = parser.process()?;
        let mut builder = layout::gv::GraphBuilder::new();
        builder.visit_graph(&tree);
        let mut graph = builder.get();
        let mut writer = Bounded::default();
        graph.do_it(false, false, false, &mut writer);
        Ok(writer.finalize())
    })
    .unwrap_or_else(|_| Err("the picture could not be laid out".to_string()))
}

/// The SVG writer of the layout crate, with the picture's size taken from what is drawn: the
/// writer's own grows by ten pixels per character of every label (its `draw_text`), which
/// leaves most of a picture empty.
#[derive(Default)]
struct Bounded {
    inner: layout::backends::svg::SVGWriter,
    /// The smallest and largest x and y drawn at.
    bounds: Option<(f64, f64, f64, f64)>,
}

impl Bounded {
    fn cover(&mut self, x: f64, y: f64) {
        let (x0, y0, x1, y1) = self.bounds.unwrap_or((x, y, x, y));
        self.bounds = Some((x0.min(x), y0.min(y), x1.max(x), y1.max(y)));
    }

    fn finalize(&self) -> String {
        let svg = self.inner.finalize();
        let Some((x0, y0, x1, y1)) = self.bounds else {
            return svg;
        };
        let margin = 10.0;
        let (x, y) = (x0 - margin, y0 - margin);
        let (w, h) = (x1 - x0 + 2.0 * margin, y1 - y0 + 2.0 * margin);
        let Some(start) = svg.find("<svg ") else {
            return svg;
        };
        let Some(end) = svg[start..].find(" xmlns=").map(|e| start + e) else {
            return svg;
        };
        format!(
            "{}<svg width=\"{w:.0}\" height=\"{h:.0}\" viewBox=\"{x:.0} {y:.0} {w:.0} {h:.0}\"{}",
            &svg[..start],
            &svg[end..]
        )
    }
}

impl RenderBackend for Bounded {
    fn draw_rect(
        &mut self,
        xy: Point,
        size: Point,
        look: &StyleAttr,
        properties: Option<String>,
        clip: Option<ClipHandle>,
    ) {
        self.cover(xy.x, xy.y);
        self.cover(xy.x + size.x, xy.y + size.y);
        self.inner.draw_rect(xy, size, look, properties, clip);
    }

    fn draw_line(
        &mut self,
        start: Point,
        stop: Point,
        look: &StyleAttr,
        properties: Option<String>,
    ) {
        self.cover(start.x, start.y);
        self.cover(stop.x, stop.y);
        self.inner.draw_line(start, stop, look, properties);
    }

    fn draw_circle(
        &mut self,
        xy: Point,
        size: Point,
        look: &StyleAttr,
        properties: Option<String>,
    ) {
        self.cover(xy.x - size.x / 2.0, xy.y - size.y / 2.0);
        self.cover(xy.x + size.x / 2.0, xy.y + size.y / 2.0);
        self.inner.draw_circle(xy, size, look, properties);
    }

    fn draw_text(&mut self, xy: Point, text: &str, look: &StyleAttr) {
        // centred on `xy`; a character about 0.6 of the font size wide
        let font = look.font_size as f64;
        let chars = text.lines().map(|l| l.chars().count()).max().unwrap_or(0) as f64;
        let lines = text.lines().count().max(1) as f64;
        self.cover(xy.x - chars * font * 0.3, xy.y - lines * font);
        self.cover(xy.x + chars * font * 0.3, xy.y + lines * font);
        self.inner.draw_text(xy, text, look);
    }

    fn draw_arrow(
        &mut self,
        path: &[(Point, Point)],
        dashed: bool,
        head: (bool, bool),
        look: &StyleAttr,
        properties: Option<String>,
        text: &str,
    ) {
        for (a, b) in path {
            self.cover(a.x, a.y);
            self.cover(b.x, b.y);
        }
        self.inner
            .draw_arrow(path, dashed, head, look, properties, text);
    }

    fn create_clip(&mut self, xy: Point, size: Point, rounded_px: usize) -> ClipHandle {
        self.inner.create_clip(xy, size, rounded_px)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::dot::{Selection, picture};
    use crate::testing;

    #[test]
    fn the_seed_s_picture_is_laid_out_as_svg() {
        let graph = testing::seed_graph();
        let dot = picture(graph.store(), graph.base(), Selection::All).unwrap();
        let svg = svg(&dot).unwrap();
        assert!(svg.contains("<svg"), "{}", &svg[..svg.len().min(200)]);
        assert!(svg.contains("Azerbaijan"));
    }

    #[test]
    fn the_svg_is_as_large_as_what_is_drawn_and_escapes_labels() {
        let svg = svg("digraph { a [label=\"<script>alert(1)</script> & b\"]; a -> b; }").unwrap();
        assert!(svg.contains("&lt;script&gt;") && !svg.contains("<script"));
        let height: f64 = svg
            .split("height=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(height < 200.0, "{}", &svg[..200]);
    }

    #[test]
    fn a_bad_picture_is_an_error_not_a_panic() {
        assert!(svg("digraph { a -> ; }").is_err());
    }
}
