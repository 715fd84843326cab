//! The frame tutorial on the real National Food Survey: `create_denormalized` joins the
//! 27 original zips from ../shared/data (8,338,857 rows) and the tutorial's cells must
//! give the answers recorded in tests/transcripts/frames_real.md, which were checked
//! against pandas on the same CSVs. Skipped (with a message) when ../shared is absent.

mod common;
use common::*;

#[test]
fn tutorial_frames_on_the_real_survey() {
    if !root()
        .join("../shared/data/NationalFoodSurvey/NFS_1974.zip")
        .exists()
    {
        eprintln!("skipping: ../shared/data/NationalFoodSurvey is not beside the repo");
        return;
    }
    for sched in ["threads", "processes"] {
        let out = rask(&[
            "check",
            "--scheduler",
            sched,
            "tests/transcripts/frames_real.md",
        ]);
        assert!(
            out.status.success(),
            "under {}:\n{}{}",
            sched,
            text(&out.stdout),
            text(&out.stderr)
        );
    }
}
