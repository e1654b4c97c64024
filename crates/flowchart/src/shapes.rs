//! Node sizes and outlines, shared by layout and drawing.

use crate::layout::{Point, Rect};
use crate::model::Shape;
use crate::text::{LINE_HEIGHT, block_size};

/// Corner radius of `Rounded` nodes.
pub(crate) const ROUNDED_RADIUS: f64 = 8.0;
/// Inset of the side bars of `Subroutine` nodes.
pub(crate) const SUBROUTINE_INSET: f64 = 8.0;

/// A side of a node's bounding box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Top,
    Bottom,
    Left,
    Right,
}

/// Size of a text block, never smaller than one line.
fn text_size(label: &str) -> (f64, f64) {
    let (w, h) = block_size(label, false);
    (w, h.max(LINE_HEIGHT))
}

/// Vertical radius of a cylinder's ellipses for a given width.
pub(crate) fn cylinder_ry(width: f64) -> f64 {
    ((width / 2.0) / (2.5 + width / 50.0)).clamp(4.0, 12.0)
}

/// Depth of the notch of an `Asymmetric` node.
pub(crate) fn notch(height: f64) -> f64 {
    height / 3.0
}

/// Horizontal inset of a hexagon's pointed sides.
pub(crate) fn hexagon_inset(height: f64) -> f64 {
    height / 4.0
}

/// Width and height of a node drawn with `shape` around `label`.
pub(crate) fn node_size(shape: Shape, label: &str) -> (f64, f64) {
    let (tw, th) = text_size(label);
    let (w, h) = match shape {
        Shape::Rect | Shape::Rounded => (tw + 32.0, th + 20.0),
        Shape::Subroutine => (tw + 32.0 + 2.0 * SUBROUTINE_INSET, th + 20.0),
        Shape::Stadium => {
            let h = th + 20.0;
            (tw + 16.0 + h, h)
        }
        Shape::Cylinder => {
            let w = tw + 32.0;
            let ry = cylinder_ry(w);
            (w, th + 16.0 + 3.0 * ry)
        }
        Shape::Circle => {
            let d = (tw * tw + th * th).sqrt() + 16.0;
            (d, d)
        }
        Shape::Diamond => {
            let b = th / 2.0 + 22.0;
            let a = (tw / 2.0) / (1.0 - (th / 2.0) / b) + 10.0;
            (2.0 * a, 2.0 * b)
        }
        Shape::Hexagon => {
            let h = th + 20.0;
            (tw + 32.0 + 2.0 * hexagon_inset(h), h)
        }
        Shape::Asymmetric => {
            let h = th + 20.0;
            (tw + 32.0 + notch(h), h)
        }
    };
    let w = w.max(40.0);
    if shape == Shape::Circle {
        let d = w.max(h);
        (d, d)
    } else {
        (w, h)
    }
}

/// Where a node's label is centred.
pub(crate) fn text_center(shape: Shape, r: &Rect) -> Point {
    let mut c = r.center();
    match shape {
        Shape::Cylinder => c.y += cylinder_ry(r.width) / 2.0,
        Shape::Asymmetric => c.x += notch(r.height) / 2.0,
        _ => {}
    }
    c
}

/// Distance from a rounded corner's tangent line, for a point at `d` past
/// the start of the corner, with radius `r`.
fn corner_drop(d: f64, r: f64) -> f64 {
    if d <= 0.0 {
        0.0
    } else {
        r - (r * r - d.min(r) * d.min(r)).max(0.0).sqrt()
    }
}

/// The point where a line parallel to an axis, `offset` away from the
/// node's centre, leaves the node's outline through `side`.
pub(crate) fn border_point(shape: Shape, r: &Rect, side: Side, offset: f64) -> Point {
    let c = r.center();
    let hw = r.width / 2.0;
    let hh = r.height / 2.0;
    match side {
        Side::Top | Side::Bottom => {
            let o = offset.clamp(-hw, hw);
            let a = o.abs();
            let extent = match shape {
                Shape::Rect | Shape::Subroutine | Shape::Asymmetric => hh,
                Shape::Rounded => {
                    let r = ROUNDED_RADIUS.min(hw).min(hh);
                    hh - corner_drop(a - (hw - r), r)
                }
                Shape::Stadium => {
                    let r = hh.min(hw);
                    hh - corner_drop(a - (hw - r), r)
                }
                Shape::Circle => {
                    let rad = hw.min(hh);
                    (rad * rad - a.min(rad) * a.min(rad)).max(0.0).sqrt()
                }
                Shape::Diamond => hh * (1.0 - a / hw.max(1e-9)),
                Shape::Hexagon => {
                    let s = hexagon_inset(r.height);
                    if a <= hw - s {
                        hh
                    } else {
                        hh * ((hw - a) / s.max(1e-9)).max(0.0)
                    }
                }
                Shape::Cylinder => {
                    let ry = cylinder_ry(r.width);
                    let t = (a / hw.max(1e-9)).min(1.0);
                    hh - ry + ry * (1.0 - t * t).max(0.0).sqrt()
                }
            };
            let y = if side == Side::Top {
                c.y - extent
            } else {
                c.y + extent
            };
            Point { x: c.x + o, y }
        }
        Side::Left | Side::Right => {
            let o = offset.clamp(-hh, hh);
            let a = o.abs();
            let extent = match shape {
                Shape::Rect | Shape::Subroutine => hw,
                Shape::Cylinder => {
                    // Straight sides, then the top and bottom ellipses.
                    let ry = cylinder_ry(r.width);
                    let into_cap = a - (hh - ry);
                    if into_cap <= 0.0 {
                        hw
                    } else {
                        let t = (into_cap / ry.max(1e-9)).min(1.0);
                        hw * (1.0 - t * t).max(0.0).sqrt()
                    }
                }
                Shape::Rounded => {
                    let r = ROUNDED_RADIUS.min(hw).min(hh);
                    hw - corner_drop(a - (hh - r), r)
                }
                Shape::Stadium => {
                    let r = hh.min(hw);
                    hw - r + (r * r - a.min(r) * a.min(r)).max(0.0).sqrt()
                }
                Shape::Circle => {
                    let rad = hw.min(hh);
                    (rad * rad - a.min(rad) * a.min(rad)).max(0.0).sqrt()
                }
                Shape::Diamond => hw * (1.0 - a / hh.max(1e-9)),
                Shape::Hexagon => hw - hexagon_inset(r.height) * a / hh.max(1e-9),
                Shape::Asymmetric => {
                    if side == Side::Left {
                        hw - notch(r.height) * (1.0 - a / hh.max(1e-9))
                    } else {
                        hw
                    }
                }
            };
            let x = if side == Side::Left {
                c.x - extent
            } else {
                c.x + extent
            };
            Point { x, y: c.y + o }
        }
    }
}
