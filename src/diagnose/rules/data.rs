//! What every kind's data can do: show itself as text values (for templates and the JSON
//! `facts`), fill its gaps from another finding of its kind when two are folded into one, and
//! name the devices it identifies (the systems link evidence by them).

use std::fmt::Debug;

use crate::diagnose::text::Values;
use crate::model::Uuid;

/// The data a kind's findings carry (each rule file defines its own type).
pub trait Data: Clone + Debug + Default + PartialEq {
    /// Its values as text, each under the name templates and the JSON use.
    fn values(&self, out: &mut Values);
    /// Take from `other` (another finding of the kind folded into this one) what this lacks.
    fn fill_gaps(&mut self, other: Self);
    /// Whether this has a value wherever `other` has one.
    fn covers(&self, other: &Self) -> bool;
    /// Forget what names one peer (the finding now counts the attempts to many).
    fn forget_peer(&mut self) {}
    /// The device names, addresses and UUIDs it gives, as its sources wrote them.
    fn identifiers<'a>(&'a self, _out: &mut Identifiers<'a>) {}
    /// The name of the finding's peer, when the data names it (a peer folder's `sftunnel.json`).
    fn peer_name(&self) -> Option<&str> {
        None
    }
}

/// Values that identify devices, as a finding's data gives them.
#[derive(Debug, Default)]
pub struct Identifiers<'a> {
    /// Addresses as written (`ip`, `ip:port`; a value of another shape names no address).
    pub addresses: Vec<&'a str>,
    pub uuids: Vec<Uuid>,
    /// Host names.
    pub names: Vec<&'a str>,
    /// InternalCA subjects.
    pub ca_subjects: Vec<&'a str>,
}

/// A value that folding fills from another finding when it has none.
pub trait Gap {
    fn fill_gap(&mut self, other: Self);
    fn covers(&self, other: &Self) -> bool;
}

impl<T> Gap for Option<T> {
    fn fill_gap(&mut self, other: Self) {
        if self.is_none() {
            *self = other;
        }
    }
    fn covers(&self, other: &Self) -> bool {
        other.is_none() || self.is_some()
    }
}

/// A list is a value when it is not empty.
impl<T> Gap for Vec<T> {
    fn fill_gap(&mut self, other: Self) {
        if self.is_empty() {
            *self = other;
        }
    }
    fn covers(&self, other: &Self) -> bool {
        other.is_empty() || !self.is_empty()
    }
}

/// Implements [`Data::fill_gaps`] and [`Data::covers`] (or, after `pub`, the same methods of a
/// type's own) field by field ([`Gap`]).
macro_rules! gaps {
    ($vis:vis $($field:ident),* $(,)?) => {
        /// Take from `other` (folded into this one) every value this one lacks.
        $vis fn fill_gaps(&mut self, other: Self) {
            $($crate::diagnose::rules::data::Gap::fill_gap(&mut self.$field, other.$field);)*
        }
        /// Whether this has a value wherever `other` has one.
        $vis fn covers(&self, other: &Self) -> bool {
            true $(&& $crate::diagnose::rules::data::Gap::covers(&self.$field, &other.$field))*
        }
    };
}
pub(crate) use gaps;

/// Declares the data of a kind that carries nothing beyond the values every finding shares.
macro_rules! no_data {
    ($name:ident) => {
        /// This kind carries nothing beyond the values every finding shares.
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct $name;

        impl $crate::diagnose::rules::data::Data for $name {
            fn values(&self, _: &mut $crate::diagnose::text::Values) {}
            fn fill_gaps(&mut self, _: Self) {}
            fn covers(&self, _: &Self) -> bool {
                true
            }
        }
    };
}
pub(crate) use no_data;
