//! Data generators from the seed tutorial: files the tutorial's exercises read.
pub mod accounts;
pub mod denormalize;
pub mod nfs_synthetic;
pub mod random_array;
