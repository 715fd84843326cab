//! Data generators from the seed tutorial: files the tutorial's exercises read.
pub mod random_array;

