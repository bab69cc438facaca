WITH person AS (
  SELECT
    person_id,
    account_domain,
    account_name,
    consent,
    country,
    employees,
    industry,
    revenue_band,
    role,
    tier,
    title,
    email,
    external_id
  FROM people_flat
), event_src AS (
  SELECT
    person_id,
    event_id,
    type,
    CAST(ts AS DOUBLE PRECISION) AS ts,
    CAST(properties AS JSONB) AS properties
  FROM events_flat
  WHERE
    ts <= CAST(1793000000.0 AS DOUBLE PRECISION)
), ev_features AS (
  SELECT
    e.person_id,
    e.event_id,
    e.type,
    e.ts,
    CASE
      WHEN JSONB_TYPEOF(properties -> 'path') = 'string'
      THEN (
        properties ->> 'path'
      )
    END AS ep_path_text,
    CASE
      WHEN JSONB_TYPEOF(properties -> 'stage') = 'string'
      THEN (
        properties ->> 'stage'
      )
    END AS ep_stage_text,
    CASE
      WHEN JSONB_TYPEOF(properties -> 'form') = 'string'
      THEN (
        properties ->> 'form'
      )
    END AS ep_form_text,
    CASE
      WHEN JSONB_TYPEOF(properties -> 'kind') = 'string'
      THEN (
        properties ->> 'kind'
      )
    END AS ep_kind_text,
    CASE
      WHEN JSONB_TYPEOF(properties -> 'service') = 'string'
      THEN (
        properties ->> 'service'
      )
    END AS ep_service_text,
    CASE
      WHEN JSONB_TYPEOF(properties -> 'service') = 'number'
      THEN CAST((
        properties ->> 'service'
      ) AS DOUBLE PRECISION)
    END AS ep_service_number,
    CASE
      WHEN JSONB_TYPEOF(properties -> 'value') = 'number'
      THEN CAST((
        properties ->> 'value'
      ) AS DOUBLE PRECISION)
    END AS ep_value_number,
    CASE
      WHEN JSONB_TYPEOF(properties -> 'metric') = 'string'
      THEN (
        properties ->> 'metric'
      )
    END AS ep_metric_text,
    CASE
      WHEN JSONB_TYPEOF(properties -> 'stage') = 'array'
      THEN properties -> 'stage' @> CAST('["early_interest"]' AS JSONB)
      ELSE FALSE
    END AS ep_stage_has_early_interest,
    CASE
      WHEN JSONB_TYPEOF(properties -> 'stage') = 'array'
      THEN properties -> 'stage' @> CAST('["need_recognised"]' AS JSONB)
      ELSE FALSE
    END AS ep_stage_has_need_recognised,
    CASE
      WHEN JSONB_TYPEOF(properties -> 'stage') = 'array'
      THEN properties -> 'stage' @> CAST('["comparing_solutions"]' AS JSONB)
      ELSE FALSE
    END AS ep_stage_has_comparing_solutions,
    CASE
      WHEN JSONB_TYPEOF(properties -> 'stage') = 'array'
      THEN properties -> 'stage' @> CAST('["deciding"]' AS JSONB)
      ELSE FALSE
    END AS ep_stage_has_deciding
  FROM event_src AS e
), ev AS (
  SELECT
    person_id,
    event_id,
    ts,
    ep_service_text,
    ep_service_number,
    ep_value_number,
    type IN ('page_view') AND SUBSTRING(ep_path_text FROM 1 FOR 10) = '/palvelut/' AS match_1,
    type IN ('page_view') AND ep_path_text ~* '^/palvelut/[^/]+/referenssit' AS match_2,
    type IN ('page_view') AND ep_path_text ~* '^/palvelut/[^/]+/hinnoittelu' AS match_3,
    type IN ('page_view') AND SUBSTRING(ep_path_text FROM 1 FOR 7) = '/blogi/' AS match_4,
    type IN ('page_view')
    AND SUBSTRING(ep_path_text FROM 1 FOR 7) = '/blogi/'
    AND ep_stage_text = 'comparing_solutions' AS match_5,
    type IN ('download') AS match_6,
    type IN ('newsletter_signup') AS match_7,
    type IN ('email_click') AS match_8,
    type IN ('ad_click') AS match_9,
    type IN ('email_open') AS match_10,
    type IN ('page_view') AND SUBSTRING(ep_path_text FROM 1 FOR 7) = '/rekry/' AS match_11,
    type IN ('download') AND ep_stage_text IN ('comparing_solutions', 'deciding') AS match_12,
    type IN ('download') AND ep_stage_text = 'deciding' AS match_13,
    type IN ('form_submit') AND ep_form_text = 'kustannuslaskuri' AS match_14,
    type IN ('chat') AS match_15,
    type IN ('event_registration') AS match_16,
    type IN ('event_attended') AS match_17,
    type IN ('trial_signup') AS match_18,
    type IN ('sales_touch') AND ep_kind_text = 'meeting' AS match_19,
    type IN ('unsubscribe') AS match_20,
    type IN ('email_bounce') AS match_21,
    type IN ('page_view')
    AND SUBSTRING(ep_path_text FROM 1 FOR 16) = '/palvelut/pilvi/' AS match_22,
    type IN ('email_click', 'ad_click') AS match_23,
    type IN ('product_usage') AND ep_metric_text = 'messages_sent' AS match_24,
    type IN ('contact_request') AS match_25,
    type IN ('demo_request') AS match_26,
    type IN ('order') AS match_27,
    ep_stage_text = 'early_interest' OR ep_stage_has_early_interest AS match_28,
    ep_stage_text = 'need_recognised' OR ep_stage_has_need_recognised AS match_29,
    ep_stage_text = 'comparing_solutions' OR ep_stage_has_comparing_solutions AS match_30,
    ep_stage_text = 'deciding' OR ep_stage_has_deciding AS match_31,
    type IN ('demo_request', 'order') AS match_32
  FROM ev_features
), eng_service_page_visit AS (
  SELECT
    person_id,
    event_id,
    ts,
    CAST(2.0 AS DOUBLE PRECISION) AS amount
  FROM ev
  WHERE
    match_1
), eng_service_page_visit_cap1 AS (
  SELECT
    person_id,
    event_id,
    ts,
    LEAST(
      amount,
      GREATEST(
        CAST(0.0 AS DOUBLE PRECISION),
        CAST(20.0 AS DOUBLE PRECISION) - COALESCE(
          SUM(amount) OVER (
            PARTITION BY person_id, FLOOR(CAST(ts AS DOUBLE PRECISION) / 2592000)
            ORDER BY ts DESC, event_id COLLATE "C" DESC
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          ),
          CAST(0.0 AS DOUBLE PRECISION)
        )
      )
    ) AS amount
  FROM eng_service_page_visit
), eng_customer_references AS (
  SELECT
    person_id,
    event_id,
    ts,
    CAST(6.0 AS DOUBLE PRECISION) AS amount
  FROM ev
  WHERE
    match_2
), eng_customer_references_cap1 AS (
  SELECT
    person_id,
    event_id,
    ts,
    LEAST(
      amount,
      GREATEST(
        CAST(0.0 AS DOUBLE PRECISION),
        CAST(30.0 AS DOUBLE PRECISION) - COALESCE(
          SUM(amount) OVER (
            PARTITION BY person_id, FLOOR(CAST(ts AS DOUBLE PRECISION) / 2592000)
            ORDER BY ts DESC, event_id COLLATE "C" DESC
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          ),
          CAST(0.0 AS DOUBLE PRECISION)
        )
      )
    ) AS amount
  FROM eng_customer_references
), eng_customer_references_cap2 AS (
  SELECT
    person_id,
    event_id,
    ts,
    LEAST(
      amount,
      GREATEST(
        CAST(0.0 AS DOUBLE PRECISION),
        CAST(90.0 AS DOUBLE PRECISION) - COALESCE(
          SUM(amount) OVER (
            PARTITION BY person_id
            ORDER BY ts DESC, event_id COLLATE "C" DESC
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          ),
          CAST(0.0 AS DOUBLE PRECISION)
        )
      )
    ) AS amount
  FROM eng_customer_references_cap1
), eng_pricing_page AS (
  SELECT
    person_id,
    event_id,
    ts,
    CAST(8.0 AS DOUBLE PRECISION) AS amount
  FROM ev
  WHERE
    match_3
), eng_pricing_page_cap1 AS (
  SELECT
    person_id,
    event_id,
    ts,
    LEAST(
      amount,
      GREATEST(
        CAST(0.0 AS DOUBLE PRECISION),
        CAST(40.0 AS DOUBLE PRECISION) - COALESCE(
          SUM(amount) OVER (
            PARTITION BY person_id, FLOOR(CAST(ts AS DOUBLE PRECISION) / 2592000)
            ORDER BY ts DESC, event_id COLLATE "C" DESC
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          ),
          CAST(0.0 AS DOUBLE PRECISION)
        )
      )
    ) AS amount
  FROM eng_pricing_page
), eng_pricing_page_cap2 AS (
  SELECT
    person_id,
    event_id,
    ts,
    LEAST(
      amount,
      GREATEST(
        CAST(0.0 AS DOUBLE PRECISION),
        CAST(120.0 AS DOUBLE PRECISION) - COALESCE(
          SUM(amount) OVER (
            PARTITION BY person_id
            ORDER BY ts DESC, event_id COLLATE "C" DESC
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          ),
          CAST(0.0 AS DOUBLE PRECISION)
        )
      )
    ) AS amount
  FROM eng_pricing_page_cap1
), eng_blog_read AS (
  SELECT
    person_id,
    event_id,
    ts,
    CAST(0.5 AS DOUBLE PRECISION) AS amount
  FROM ev
  WHERE
    match_4
), eng_blog_read_cap1 AS (
  SELECT
    person_id,
    event_id,
    ts,
    LEAST(
      amount,
      GREATEST(
        CAST(0.0 AS DOUBLE PRECISION),
        CAST(5.0 AS DOUBLE PRECISION) - COALESCE(
          SUM(amount) OVER (
            PARTITION BY person_id, FLOOR(CAST(ts AS DOUBLE PRECISION) / 2592000)
            ORDER BY ts DESC, event_id COLLATE "C" DESC
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          ),
          CAST(0.0 AS DOUBLE PRECISION)
        )
      )
    ) AS amount
  FROM eng_blog_read
), eng_comparison_article AS (
  SELECT
    person_id,
    event_id,
    ts,
    CAST(2.0 AS DOUBLE PRECISION) AS amount
  FROM ev
  WHERE
    match_5
), eng_comparison_article_cap1 AS (
  SELECT
    person_id,
    event_id,
    ts,
    LEAST(
      amount,
      GREATEST(
        CAST(0.0 AS DOUBLE PRECISION),
        CAST(10.0 AS DOUBLE PRECISION) - COALESCE(
          SUM(amount) OVER (
            PARTITION BY person_id, FLOOR(CAST(ts AS DOUBLE PRECISION) / 2592000)
            ORDER BY ts DESC, event_id COLLATE "C" DESC
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          ),
          CAST(0.0 AS DOUBLE PRECISION)
        )
      )
    ) AS amount
  FROM eng_comparison_article
), eng_guide_download AS (
  SELECT
    person_id,
    event_id,
    ts,
    CAST(4.0 AS DOUBLE PRECISION) AS amount
  FROM ev
  WHERE
    match_6
), eng_guide_download_cap1 AS (
  SELECT
    person_id,
    event_id,
    ts,
    LEAST(
      amount,
      GREATEST(
        CAST(0.0 AS DOUBLE PRECISION),
        CAST(12.0 AS DOUBLE PRECISION) - COALESCE(
          SUM(amount) OVER (
            PARTITION BY person_id, FLOOR(CAST(ts AS DOUBLE PRECISION) / 2592000)
            ORDER BY ts DESC, event_id COLLATE "C" DESC
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          ),
          CAST(0.0 AS DOUBLE PRECISION)
        )
      )
    ) AS amount
  FROM eng_guide_download
), eng_newsletter_signup AS (
  SELECT
    person_id,
    event_id,
    ts,
    CAST(2.0 AS DOUBLE PRECISION) AS amount
  FROM ev
  WHERE
    match_7
), eng_newsletter_signup_cap1 AS (
  SELECT
    person_id,
    event_id,
    ts,
    LEAST(
      amount,
      GREATEST(
        CAST(0.0 AS DOUBLE PRECISION),
        CAST(2.0 AS DOUBLE PRECISION) - COALESCE(
          SUM(amount) OVER (
            PARTITION BY person_id
            ORDER BY ts DESC, event_id COLLATE "C" DESC
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          ),
          CAST(0.0 AS DOUBLE PRECISION)
        )
      )
    ) AS amount
  FROM eng_newsletter_signup
), eng_e_mail_click AS (
  SELECT
    person_id,
    event_id,
    ts,
    CAST(2.0 AS DOUBLE PRECISION) AS amount
  FROM ev
  WHERE
    match_8
), eng_e_mail_click_cap1 AS (
  SELECT
    person_id,
    event_id,
    ts,
    LEAST(
      amount,
      GREATEST(
        CAST(0.0 AS DOUBLE PRECISION),
        CAST(10.0 AS DOUBLE PRECISION) - COALESCE(
          SUM(amount) OVER (
            PARTITION BY person_id, FLOOR(CAST(ts AS DOUBLE PRECISION) / 2592000)
            ORDER BY ts DESC, event_id COLLATE "C" DESC
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          ),
          CAST(0.0 AS DOUBLE PRECISION)
        )
      )
    ) AS amount
  FROM eng_e_mail_click
), eng_ad_click AS (
  SELECT
    person_id,
    event_id,
    ts,
    CAST(2.0 AS DOUBLE PRECISION) AS amount
  FROM ev
  WHERE
    match_9
), eng_ad_click_cap1 AS (
  SELECT
    person_id,
    event_id,
    ts,
    LEAST(
      amount,
      GREATEST(
        CAST(0.0 AS DOUBLE PRECISION),
        CAST(10.0 AS DOUBLE PRECISION) - COALESCE(
          SUM(amount) OVER (
            PARTITION BY person_id, FLOOR(CAST(ts AS DOUBLE PRECISION) / 2592000)
            ORDER BY ts DESC, event_id COLLATE "C" DESC
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          ),
          CAST(0.0 AS DOUBLE PRECISION)
        )
      )
    ) AS amount
  FROM eng_ad_click
), eng_e_mail_open AS (
  SELECT
    person_id,
    event_id,
    ts,
    CAST(0.5 AS DOUBLE PRECISION) AS amount
  FROM ev
  WHERE
    match_10
), eng_e_mail_open_cap1 AS (
  SELECT
    person_id,
    event_id,
    ts,
    LEAST(
      amount,
      GREATEST(
        CAST(0.0 AS DOUBLE PRECISION),
        CAST(2.0 AS DOUBLE PRECISION) - COALESCE(
          SUM(amount) OVER (
            PARTITION BY person_id, FLOOR(CAST(ts AS DOUBLE PRECISION) / 604800)
            ORDER BY ts DESC, event_id COLLATE "C" DESC
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          ),
          CAST(0.0 AS DOUBLE PRECISION)
        )
      )
    ) AS amount
  FROM eng_e_mail_open
), eng_e_mail_open_cap2 AS (
  SELECT
    person_id,
    event_id,
    ts,
    LEAST(
      amount,
      GREATEST(
        CAST(0.0 AS DOUBLE PRECISION),
        CAST(6.0 AS DOUBLE PRECISION) - COALESCE(
          SUM(amount) OVER (
            PARTITION BY person_id
            ORDER BY ts DESC, event_id COLLATE "C" DESC
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          ),
          CAST(0.0 AS DOUBLE PRECISION)
        )
      )
    ) AS amount
  FROM eng_e_mail_open_cap1
), eng_careers_page AS (
  SELECT
    person_id,
    event_id,
    ts,
    CAST(10.0 AS DOUBLE PRECISION) AS amount
  FROM ev
  WHERE
    match_11
), eng_careers_page_cap1 AS (
  SELECT
    person_id,
    event_id,
    ts,
    LEAST(
      amount,
      GREATEST(
        CAST(0.0 AS DOUBLE PRECISION),
        CAST(30.0 AS DOUBLE PRECISION) - COALESCE(
          SUM(amount) OVER (
            PARTITION BY person_id
            ORDER BY ts DESC, event_id COLLATE "C" DESC
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          ),
          CAST(0.0 AS DOUBLE PRECISION)
        )
      )
    ) AS amount
  FROM eng_careers_page
), grp_website AS (
  SELECT
    person_id,
    event_id,
    ts,
    0 AS rule_rank,
    amount
  FROM eng_blog_read_cap1
  UNION ALL
  SELECT
    person_id,
    event_id,
    ts,
    1 AS rule_rank,
    amount
  FROM eng_customer_references_cap2
  UNION ALL
  SELECT
    person_id,
    event_id,
    ts,
    2 AS rule_rank,
    amount
  FROM eng_pricing_page_cap2
  UNION ALL
  SELECT
    person_id,
    event_id,
    ts,
    3 AS rule_rank,
    amount
  FROM eng_service_page_visit_cap1
), grp_website_cap1 AS (
  SELECT
    person_id,
    event_id,
    ts,
    rule_rank,
    LEAST(
      amount,
      GREATEST(
        CAST(0.0 AS DOUBLE PRECISION),
        CAST(60.0 AS DOUBLE PRECISION) - COALESCE(
          SUM(amount) OVER (
            PARTITION BY person_id, FLOOR(CAST(ts AS DOUBLE PRECISION) / 2592000)
            ORDER BY ts DESC, event_id COLLATE "C" DESC, rule_rank DESC
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          ),
          CAST(0.0 AS DOUBLE PRECISION)
        )
      )
    ) AS amount
  FROM grp_website
), sig_cloud_binge_hits AS (
  SELECT
    person_id,
    ts,
    1 AS clause,
    CAST(1.0 AS DOUBLE PRECISION) AS amount
  FROM ev
  WHERE
    match_22
  UNION ALL
  SELECT
    person_id,
    ts,
    2 AS clause,
    CAST(1.0 AS DOUBLE PRECISION) AS amount
  FROM ev
  WHERE
    match_23
), sig_cloud_binge_people AS (
  SELECT
    person_id
  FROM sig_cloud_binge_hits
  GROUP BY
    person_id
  HAVING
    SUM(
      CASE
        WHEN clause = 1 AND amount > CAST(0.0 AS DOUBLE PRECISION)
        THEN amount
        ELSE CAST(0.0 AS DOUBLE PRECISION)
      END
    ) >= 3.0
    AND SUM(
      CASE
        WHEN clause = 2 AND amount > CAST(0.0 AS DOUBLE PRECISION)
        THEN amount
        ELSE CAST(0.0 AS DOUBLE PRECISION)
      END
    ) >= 2.0
), sig_cloud_binge_windows AS (
  SELECT
    person_id,
    ts,
    SUM(CASE WHEN clause = 1 THEN amount ELSE CAST(0.0 AS DOUBLE PRECISION) END) OVER (PARTITION BY person_id ORDER BY ts RANGE BETWEEN 604800 PRECEDING AND CURRENT ROW) AS total_1,
    SUM(CASE WHEN clause = 2 THEN amount ELSE CAST(0.0 AS DOUBLE PRECISION) END) OVER (PARTITION BY person_id ORDER BY ts RANGE BETWEEN 604800 PRECEDING AND CURRENT ROW) AS total_2
  FROM sig_cloud_binge_hits
  WHERE
    person_id IN (
      SELECT
        person_id
      FROM sig_cloud_binge_people
    )
), sig_cloud_binge_fired AS (
  SELECT
    person_id,
    MAX(ts) AS fired_at
  FROM (
    SELECT
      person_id,
      ts
    FROM sig_cloud_binge_windows
    WHERE
      total_1 >= 3.0 AND total_2 >= 2.0
  ) AS w
  GROUP BY
    person_id
), sig_cloud_binge AS (
  SELECT
    person_id,
    fired_at,
    CAST(CAST(1793000000.0 AS DOUBLE PRECISION) - fired_at AS DOUBLE PRECISION) <= 2592000 AS active,
    CASE
      WHEN CAST(CAST(1793000000.0 AS DOUBLE PRECISION) - fired_at AS DOUBLE PRECISION) <= 2592000
      THEN CAST(20.0 AS DOUBLE PRECISION)
      ELSE CAST(0.0 AS DOUBLE PRECISION)
    END AS points
  FROM sig_cloud_binge_fired
), sig_service_binge_hits AS (
  SELECT
    person_id,
    ts,
    1 AS clause,
    CAST(1.0 AS DOUBLE PRECISION) AS amount,
    ep_service_text AS same_text,
    ep_service_number AS same_number
  FROM ev
  WHERE
    match_1 AND (
      ep_service_text <> '' OR NOT ep_service_number IS NULL
    )
  UNION ALL
  SELECT
    person_id,
    ts,
    2 AS clause,
    CAST(1.0 AS DOUBLE PRECISION) AS amount,
    CAST(NULL AS TEXT) AS same_text,
    CAST(NULL AS DOUBLE PRECISION) AS same_number
  FROM ev
  WHERE
    match_23
), sig_service_binge_people AS (
  SELECT
    person_id
  FROM sig_service_binge_hits
  GROUP BY
    person_id
  HAVING
    SUM(
      CASE
        WHEN clause = 1 AND amount > CAST(0.0 AS DOUBLE PRECISION)
        THEN amount
        ELSE CAST(0.0 AS DOUBLE PRECISION)
      END
    ) >= 3.0
    AND SUM(
      CASE
        WHEN clause = 2 AND amount > CAST(0.0 AS DOUBLE PRECISION)
        THEN amount
        ELSE CAST(0.0 AS DOUBLE PRECISION)
      END
    ) >= 2.0
), sig_service_binge_windows AS (
  SELECT
    person_id,
    ts,
    SUM(CASE WHEN clause = 2 THEN amount ELSE CAST(0.0 AS DOUBLE PRECISION) END) OVER (PARTITION BY person_id ORDER BY ts RANGE BETWEEN 604800 PRECEDING AND CURRENT ROW) AS total_2
  FROM sig_service_binge_hits
  WHERE
    person_id IN (
      SELECT
        person_id
      FROM sig_service_binge_people
    )
), sig_service_binge_cand AS (
  SELECT DISTINCT
    person_id,
    ts
  FROM sig_service_binge_windows
  WHERE
    total_2 >= 2.0
), sig_service_binge_same1 AS (
  SELECT DISTINCT
    person_id,
    ts
  FROM (
    SELECT
      person_id,
      ts,
      probe,
      SUM(amount) OVER (
        PARTITION BY person_id, same_text, same_number
        ORDER BY ts
        RANGE BETWEEN 604800 PRECEDING AND CURRENT ROW
      ) AS total
    FROM (
      SELECT
        c.person_id,
        c.ts,
        v.same_text,
        v.same_number,
        1 AS probe,
        CAST(0.0 AS DOUBLE PRECISION) AS amount
      FROM sig_service_binge_cand AS c
      JOIN (
        SELECT DISTINCT
          person_id,
          same_text,
          same_number
        FROM sig_service_binge_hits
        WHERE
          clause = 1
          AND person_id IN (
            SELECT
              person_id
            FROM sig_service_binge_cand
          )
      ) AS v
        ON v.person_id = c.person_id
      UNION ALL
      SELECT
        person_id,
        ts,
        same_text,
        same_number,
        0 AS probe,
        amount
      FROM sig_service_binge_hits
      WHERE
        clause = 1
        AND person_id IN (
          SELECT
            person_id
          FROM sig_service_binge_cand
        )
    ) AS s
  ) AS t
  WHERE
    probe = 1 AND total >= 3.0
), sig_service_binge_fired AS (
  SELECT
    person_id,
    MAX(ts) AS fired_at
  FROM (
    SELECT
      person_id,
      ts
    FROM sig_service_binge_same1
  ) AS w
  GROUP BY
    person_id
), sig_service_binge AS (
  SELECT
    person_id,
    fired_at,
    CAST(CAST(1793000000.0 AS DOUBLE PRECISION) - fired_at AS DOUBLE PRECISION) <= 1814400 AS active,
    CASE
      WHEN CAST(CAST(1793000000.0 AS DOUBLE PRECISION) - fired_at AS DOUBLE PRECISION) <= 1814400
      THEN CAST(15.0 AS DOUBLE PRECISION) * POWER(
        CAST(0.5 AS DOUBLE PRECISION),
        CAST(CAST(1793000000.0 AS DOUBLE PRECISION) - fired_at AS DOUBLE PRECISION) / CAST(86400.0 AS DOUBLE PRECISION) / CAST(14.0 AS DOUBLE PRECISION)
      )
      ELSE CAST(0.0 AS DOUBLE PRECISION)
    END AS points
  FROM sig_service_binge_fired
), sig_vendor_comparison_hits AS (
  SELECT
    person_id,
    ts,
    1 AS clause,
    CAST(1.0 AS DOUBLE PRECISION) AS amount,
    ep_service_text AS same_text,
    ep_service_number AS same_number
  FROM ev
  WHERE
    match_2 AND (
      ep_service_text <> '' OR NOT ep_service_number IS NULL
    )
  UNION ALL
  SELECT
    person_id,
    ts,
    2 AS clause,
    CAST(1.0 AS DOUBLE PRECISION) AS amount,
    ep_service_text AS same_text,
    ep_service_number AS same_number
  FROM ev
  WHERE
    match_3 AND (
      ep_service_text <> '' OR NOT ep_service_number IS NULL
    )
), sig_vendor_comparison_people AS (
  SELECT
    person_id
  FROM sig_vendor_comparison_hits
  GROUP BY
    person_id
  HAVING
    SUM(
      CASE
        WHEN clause = 1 AND amount > CAST(0.0 AS DOUBLE PRECISION)
        THEN amount
        ELSE CAST(0.0 AS DOUBLE PRECISION)
      END
    ) >= 2.0
    AND SUM(
      CASE
        WHEN clause = 2 AND amount > CAST(0.0 AS DOUBLE PRECISION)
        THEN amount
        ELSE CAST(0.0 AS DOUBLE PRECISION)
      END
    ) >= 2.0
), sig_vendor_comparison_windows AS (
  SELECT
    person_id,
    ts
  FROM sig_vendor_comparison_hits
  WHERE
    person_id IN (
      SELECT
        person_id
      FROM sig_vendor_comparison_people
    )
), sig_vendor_comparison_cand AS (
  SELECT DISTINCT
    person_id,
    ts
  FROM sig_vendor_comparison_windows
), sig_vendor_comparison_same1 AS (
  SELECT DISTINCT
    person_id,
    ts
  FROM (
    SELECT
      person_id,
      ts,
      probe,
      SUM(amount) OVER (
        PARTITION BY person_id, same_text, same_number
        ORDER BY ts
        RANGE BETWEEN 1814400 PRECEDING AND CURRENT ROW
      ) AS total
    FROM (
      SELECT
        c.person_id,
        c.ts,
        v.same_text,
        v.same_number,
        1 AS probe,
        CAST(0.0 AS DOUBLE PRECISION) AS amount
      FROM sig_vendor_comparison_cand AS c
      JOIN (
        SELECT DISTINCT
          person_id,
          same_text,
          same_number
        FROM sig_vendor_comparison_hits
        WHERE
          clause = 1
          AND person_id IN (
            SELECT
              person_id
            FROM sig_vendor_comparison_cand
          )
      ) AS v
        ON v.person_id = c.person_id
      UNION ALL
      SELECT
        person_id,
        ts,
        same_text,
        same_number,
        0 AS probe,
        amount
      FROM sig_vendor_comparison_hits
      WHERE
        clause = 1
        AND person_id IN (
          SELECT
            person_id
          FROM sig_vendor_comparison_cand
        )
    ) AS s
  ) AS t
  WHERE
    probe = 1 AND total >= 2.0
), sig_vendor_comparison_cand_2 AS (
  SELECT DISTINCT
    person_id,
    ts
  FROM sig_vendor_comparison_same1
), sig_vendor_comparison_same2 AS (
  SELECT DISTINCT
    person_id,
    ts
  FROM (
    SELECT
      person_id,
      ts,
      probe,
      SUM(amount) OVER (
        PARTITION BY person_id, same_text, same_number
        ORDER BY ts
        RANGE BETWEEN 1814400 PRECEDING AND CURRENT ROW
      ) AS total
    FROM (
      SELECT
        c.person_id,
        c.ts,
        v.same_text,
        v.same_number,
        1 AS probe,
        CAST(0.0 AS DOUBLE PRECISION) AS amount
      FROM sig_vendor_comparison_cand_2 AS c
      JOIN (
        SELECT DISTINCT
          person_id,
          same_text,
          same_number
        FROM sig_vendor_comparison_hits
        WHERE
          clause = 2
          AND person_id IN (
            SELECT
              person_id
            FROM sig_vendor_comparison_cand_2
          )
      ) AS v
        ON v.person_id = c.person_id
      UNION ALL
      SELECT
        person_id,
        ts,
        same_text,
        same_number,
        0 AS probe,
        amount
      FROM sig_vendor_comparison_hits
      WHERE
        clause = 2
        AND person_id IN (
          SELECT
            person_id
          FROM sig_vendor_comparison_cand_2
        )
    ) AS s
  ) AS t
  WHERE
    probe = 1 AND total >= 2.0
), sig_vendor_comparison_fired AS (
  SELECT
    person_id,
    MAX(ts) AS fired_at
  FROM (
    SELECT
      person_id,
      ts
    FROM sig_vendor_comparison_same2
  ) AS w
  GROUP BY
    person_id
), sig_vendor_comparison AS (
  SELECT
    person_id,
    fired_at,
    CAST(CAST(1793000000.0 AS DOUBLE PRECISION) - fired_at AS DOUBLE PRECISION) <= 5184000 AS active,
    CASE
      WHEN CAST(CAST(1793000000.0 AS DOUBLE PRECISION) - fired_at AS DOUBLE PRECISION) <= 5184000
      THEN CAST(20.0 AS DOUBLE PRECISION) * POWER(
        CAST(0.5 AS DOUBLE PRECISION),
        CAST(CAST(1793000000.0 AS DOUBLE PRECISION) - fired_at AS DOUBLE PRECISION) / CAST(86400.0 AS DOUBLE PRECISION) / CAST(30.0 AS DOUBLE PRECISION)
      )
      ELSE CAST(0.0 AS DOUBLE PRECISION)
    END AS points
  FROM sig_vendor_comparison_fired
), prod_active_trial_team_hits AS (
  SELECT
    person_id,
    ts,
    1 AS clause,
    COALESCE(ep_value_number, CAST(0.0 AS DOUBLE PRECISION)) AS amount
  FROM ev
  WHERE
    match_24
), prod_active_trial_team_people AS (
  SELECT
    person_id
  FROM prod_active_trial_team_hits
  GROUP BY
    person_id
  HAVING
    SUM(
      CASE
        WHEN clause = 1 AND amount > CAST(0.0 AS DOUBLE PRECISION)
        THEN amount
        ELSE CAST(0.0 AS DOUBLE PRECISION)
      END
    ) >= 300.0
), prod_active_trial_team_windows AS (
  SELECT
    person_id,
    ts,
    SUM(CASE WHEN clause = 1 THEN amount ELSE CAST(0.0 AS DOUBLE PRECISION) END) OVER (PARTITION BY person_id ORDER BY ts RANGE BETWEEN 1209600 PRECEDING AND CURRENT ROW) AS total_1
  FROM prod_active_trial_team_hits
  WHERE
    person_id IN (
      SELECT
        person_id
      FROM prod_active_trial_team_people
    )
), prod_active_trial_team_fired AS (
  SELECT
    person_id,
    MAX(ts) AS fired_at
  FROM (
    SELECT
      person_id,
      ts
    FROM prod_active_trial_team_windows
    WHERE
      total_1 >= 300.0
  ) AS w
  GROUP BY
    person_id
), prod_active_trial_team AS (
  SELECT
    person_id,
    fired_at,
    CAST(CAST(1793000000.0 AS DOUBLE PRECISION) - fired_at AS DOUBLE PRECISION) <= 5184000 AS active,
    CASE
      WHEN CAST(CAST(1793000000.0 AS DOUBLE PRECISION) - fired_at AS DOUBLE PRECISION) <= 5184000
      THEN CAST(25.0 AS DOUBLE PRECISION) * POWER(
        CAST(0.5 AS DOUBLE PRECISION),
        CAST(CAST(1793000000.0 AS DOUBLE PRECISION) - fired_at AS DOUBLE PRECISION) / CAST(86400.0 AS DOUBLE PRECISION) / CAST(30.0 AS DOUBLE PRECISION)
      )
      ELSE CAST(0.0 AS DOUBLE PRECISION)
    END AS points
  FROM prod_active_trial_team_fired
), hand_raisers AS (
  SELECT DISTINCT
    person_id
  FROM ev
  WHERE
    (
      match_25
    ) OR (
      match_26
    ) OR (
      match_27
    )
), stage_totals AS (
  SELECT
    person_id,
    SUM(CASE WHEN match_28 THEN 1 ELSE 0 END) AS weight_0,
    MAX(CASE WHEN match_28 THEN ts END) AS ts_0,
    SUM(CASE WHEN match_29 THEN 1 ELSE 0 END) AS weight_1,
    MAX(CASE WHEN match_29 THEN ts END) AS ts_1,
    SUM(CASE WHEN match_30 THEN 1 ELSE 0 END + CASE WHEN match_25 THEN 2 ELSE 0 END) AS weight_2,
    MAX(CASE WHEN match_30 OR match_25 THEN ts END) AS ts_2,
    SUM(CASE WHEN match_31 THEN 1 ELSE 0 END + CASE WHEN match_32 THEN 2 ELSE 0 END) AS weight_3,
    MAX(CASE WHEN match_31 OR match_32 THEN ts END) AS ts_3
  FROM ev
  WHERE
    ts >= 1785224000.0
    AND (
      match_28 OR match_29 OR (
        match_30 OR match_25
      ) OR (
        match_31 OR match_32
      )
    )
  GROUP BY
    person_id
), stage_evidence AS (
  SELECT
    person_id,
    ts_0 AS ts,
    0 AS stage_rank,
    weight_0 AS weight
  FROM stage_totals
  WHERE
    NOT ts_0 IS NULL
  UNION ALL
  SELECT
    person_id,
    ts_1 AS ts,
    1 AS stage_rank,
    weight_1 AS weight
  FROM stage_totals
  WHERE
    NOT ts_1 IS NULL
  UNION ALL
  SELECT
    person_id,
    ts_2 AS ts,
    2 AS stage_rank,
    weight_2 AS weight
  FROM stage_totals
  WHERE
    NOT ts_2 IS NULL
  UNION ALL
  SELECT
    person_id,
    ts_3 AS ts,
    3 AS stage_rank,
    weight_3 AS weight
  FROM stage_totals
  WHERE
    NOT ts_3 IS NULL
), stage AS (
  SELECT
    person_id,
    stage_rank
  FROM (
    SELECT
      person_id,
      stage_rank,
      ROW_NUMBER() OVER (PARTITION BY person_id ORDER BY MAX(ts) DESC, stage_rank DESC) AS pick
    FROM stage_evidence
    GROUP BY
      person_id,
      stage_rank
    HAVING
      SUM(weight) >= 2
  ) AS s
  WHERE
    pick = 1
), points AS (
  SELECT
    person_id,
    SUM(
      amount * POWER(
        CAST(0.5 AS DOUBLE PRECISION),
        CAST(CAST(1793000000.0 AS DOUBLE PRECISION) - ts AS DOUBLE PRECISION) / CAST(86400.0 AS DOUBLE PRECISION) / CAST(21.0 AS DOUBLE PRECISION)
      )
    ) AS points
  FROM grp_website_cap1
  WHERE
    rule_rank = 3
  GROUP BY
    person_id
  UNION ALL
  SELECT
    person_id,
    SUM(
      amount * CASE
        WHEN CAST(CAST(1793000000.0 AS DOUBLE PRECISION) - ts AS DOUBLE PRECISION) / CAST(86400.0 AS DOUBLE PRECISION) >= CAST(180.0 AS DOUBLE PRECISION)
        THEN CAST(0.4 AS DOUBLE PRECISION)
        WHEN CAST(CAST(1793000000.0 AS DOUBLE PRECISION) - ts AS DOUBLE PRECISION) / CAST(86400.0 AS DOUBLE PRECISION) >= CAST(60.0 AS DOUBLE PRECISION)
        THEN CAST(0.6 AS DOUBLE PRECISION)
        ELSE CAST(1.0 AS DOUBLE PRECISION)
      END
    ) AS points
  FROM grp_website_cap1
  WHERE
    rule_rank = 1
  GROUP BY
    person_id
  UNION ALL
  SELECT
    person_id,
    SUM(
      amount * CASE
        WHEN CAST(CAST(1793000000.0 AS DOUBLE PRECISION) - ts AS DOUBLE PRECISION) / CAST(86400.0 AS DOUBLE PRECISION) >= CAST(180.0 AS DOUBLE PRECISION)
        THEN CAST(0.4 AS DOUBLE PRECISION)
        WHEN CAST(CAST(1793000000.0 AS DOUBLE PRECISION) - ts AS DOUBLE PRECISION) / CAST(86400.0 AS DOUBLE PRECISION) >= CAST(60.0 AS DOUBLE PRECISION)
        THEN CAST(0.6 AS DOUBLE PRECISION)
        ELSE CAST(1.0 AS DOUBLE PRECISION)
      END
    ) AS points
  FROM grp_website_cap1
  WHERE
    rule_rank = 2
  GROUP BY
    person_id
  UNION ALL
  SELECT
    person_id,
    SUM(
      amount * POWER(
        CAST(0.5 AS DOUBLE PRECISION),
        CAST(CAST(1793000000.0 AS DOUBLE PRECISION) - ts AS DOUBLE PRECISION) / CAST(86400.0 AS DOUBLE PRECISION) / CAST(14.0 AS DOUBLE PRECISION)
      )
    ) AS points
  FROM grp_website_cap1
  WHERE
    rule_rank = 0
  GROUP BY
    person_id
  UNION ALL
  SELECT
    person_id,
    SUM(
      amount * POWER(
        CAST(0.5 AS DOUBLE PRECISION),
        CAST(CAST(1793000000.0 AS DOUBLE PRECISION) - ts AS DOUBLE PRECISION) / CAST(86400.0 AS DOUBLE PRECISION) / CAST(30.0 AS DOUBLE PRECISION)
      )
    ) AS points
  FROM eng_comparison_article_cap1
  GROUP BY
    person_id
  UNION ALL
  SELECT
    person_id,
    SUM(
      amount * GREATEST(
        CAST(0.0 AS DOUBLE PRECISION),
        CAST(1.0 AS DOUBLE PRECISION) - CAST(CAST(1793000000.0 AS DOUBLE PRECISION) - ts AS DOUBLE PRECISION) / CAST(86400.0 AS DOUBLE PRECISION) / CAST(90.0 AS DOUBLE PRECISION)
      )
    ) AS points
  FROM eng_guide_download_cap1
  GROUP BY
    person_id
  UNION ALL
  SELECT
    person_id,
    SUM(amount) AS points
  FROM eng_newsletter_signup_cap1
  GROUP BY
    person_id
  UNION ALL
  SELECT
    person_id,
    SUM(
      amount * POWER(
        CAST(0.5 AS DOUBLE PRECISION),
        CAST(CAST(1793000000.0 AS DOUBLE PRECISION) - ts AS DOUBLE PRECISION) / CAST(86400.0 AS DOUBLE PRECISION) / CAST(21.0 AS DOUBLE PRECISION)
      )
    ) AS points
  FROM eng_e_mail_click_cap1
  GROUP BY
    person_id
  UNION ALL
  SELECT
    person_id,
    SUM(
      amount * POWER(
        CAST(0.5 AS DOUBLE PRECISION),
        CAST(CAST(1793000000.0 AS DOUBLE PRECISION) - ts AS DOUBLE PRECISION) / CAST(86400.0 AS DOUBLE PRECISION) / CAST(21.0 AS DOUBLE PRECISION)
      )
    ) AS points
  FROM eng_ad_click_cap1
  GROUP BY
    person_id
  UNION ALL
  SELECT
    person_id,
    SUM(
      amount * POWER(
        CAST(0.5 AS DOUBLE PRECISION),
        CAST(CAST(1793000000.0 AS DOUBLE PRECISION) - ts AS DOUBLE PRECISION) / CAST(86400.0 AS DOUBLE PRECISION) / CAST(7.0 AS DOUBLE PRECISION)
      )
    ) AS points
  FROM eng_e_mail_open_cap2
  GROUP BY
    person_id
  UNION ALL
  SELECT
    person_id,
    -SUM(
      amount * GREATEST(
        CAST(0.0 AS DOUBLE PRECISION),
        CAST(1.0 AS DOUBLE PRECISION) - CAST(CAST(1793000000.0 AS DOUBLE PRECISION) - ts AS DOUBLE PRECISION) / CAST(86400.0 AS DOUBLE PRECISION) / CAST(180.0 AS DOUBLE PRECISION)
      )
    ) AS points
  FROM eng_careers_page_cap1
  GROUP BY
    person_id
  UNION ALL
  SELECT
    person_id,
    COALESCE(
      SUM(
        CASE
          WHEN match_12
          THEN CAST(6.0 AS DOUBLE PRECISION) * GREATEST(
            CAST(0.0 AS DOUBLE PRECISION),
            CAST(1.0 AS DOUBLE PRECISION) - CAST(CAST(1793000000.0 AS DOUBLE PRECISION) - ts AS DOUBLE PRECISION) / CAST(86400.0 AS DOUBLE PRECISION) / CAST(120.0 AS DOUBLE PRECISION)
          )
        END
      ),
      CAST(0.0 AS DOUBLE PRECISION)
    ) + COALESCE(
      SUM(
        CASE
          WHEN match_13
          THEN CAST(20.0 AS DOUBLE PRECISION) * POWER(
            CAST(0.5 AS DOUBLE PRECISION),
            CAST(CAST(1793000000.0 AS DOUBLE PRECISION) - ts AS DOUBLE PRECISION) / CAST(86400.0 AS DOUBLE PRECISION) / CAST(60.0 AS DOUBLE PRECISION)
          )
        END
      ),
      CAST(0.0 AS DOUBLE PRECISION)
    ) + COALESCE(
      SUM(
        CASE
          WHEN match_14
          THEN CAST(20.0 AS DOUBLE PRECISION) * POWER(
            CAST(0.5 AS DOUBLE PRECISION),
            CAST(CAST(1793000000.0 AS DOUBLE PRECISION) - ts AS DOUBLE PRECISION) / CAST(86400.0 AS DOUBLE PRECISION) / CAST(60.0 AS DOUBLE PRECISION)
          )
        END
      ),
      CAST(0.0 AS DOUBLE PRECISION)
    ) + COALESCE(
      SUM(
        CASE
          WHEN match_15
          THEN CAST(15.0 AS DOUBLE PRECISION) * POWER(
            CAST(0.5 AS DOUBLE PRECISION),
            CAST(CAST(1793000000.0 AS DOUBLE PRECISION) - ts AS DOUBLE PRECISION) / CAST(86400.0 AS DOUBLE PRECISION) / CAST(60.0 AS DOUBLE PRECISION)
          )
        END
      ),
      CAST(0.0 AS DOUBLE PRECISION)
    ) + COALESCE(
      SUM(
        CASE
          WHEN match_16
          THEN CAST(3.0 AS DOUBLE PRECISION) * POWER(
            CAST(0.5 AS DOUBLE PRECISION),
            CAST(CAST(1793000000.0 AS DOUBLE PRECISION) - ts AS DOUBLE PRECISION) / CAST(86400.0 AS DOUBLE PRECISION) / CAST(30.0 AS DOUBLE PRECISION)
          )
        END
      ),
      CAST(0.0 AS DOUBLE PRECISION)
    ) + COALESCE(
      SUM(
        CASE
          WHEN match_17
          THEN CAST(5.0 AS DOUBLE PRECISION) * CASE
            WHEN CAST(CAST(1793000000.0 AS DOUBLE PRECISION) - ts AS DOUBLE PRECISION) / CAST(86400.0 AS DOUBLE PRECISION) >= CAST(180.0 AS DOUBLE PRECISION)
            THEN CAST(0.0 AS DOUBLE PRECISION)
            WHEN CAST(CAST(1793000000.0 AS DOUBLE PRECISION) - ts AS DOUBLE PRECISION) / CAST(86400.0 AS DOUBLE PRECISION) >= CAST(60.0 AS DOUBLE PRECISION)
            THEN CAST(0.5 AS DOUBLE PRECISION)
            ELSE CAST(1.0 AS DOUBLE PRECISION)
          END
        END
      ),
      CAST(0.0 AS DOUBLE PRECISION)
    ) + COALESCE(
      SUM(
        CASE
          WHEN match_18
          THEN CAST(10.0 AS DOUBLE PRECISION) * GREATEST(
            CAST(0.0 AS DOUBLE PRECISION),
            CAST(1.0 AS DOUBLE PRECISION) - CAST(CAST(1793000000.0 AS DOUBLE PRECISION) - ts AS DOUBLE PRECISION) / CAST(86400.0 AS DOUBLE PRECISION) / CAST(60.0 AS DOUBLE PRECISION)
          )
        END
      ),
      CAST(0.0 AS DOUBLE PRECISION)
    ) + COALESCE(
      SUM(
        CASE
          WHEN match_19
          THEN CAST(20.0 AS DOUBLE PRECISION) * POWER(
            CAST(0.5 AS DOUBLE PRECISION),
            CAST(CAST(1793000000.0 AS DOUBLE PRECISION) - ts AS DOUBLE PRECISION) / CAST(86400.0 AS DOUBLE PRECISION) / CAST(90.0 AS DOUBLE PRECISION)
          )
        END
      ),
      CAST(0.0 AS DOUBLE PRECISION)
    ) + -COALESCE(
      SUM(
        CASE
          WHEN match_20
          THEN CAST(20.0 AS DOUBLE PRECISION) * GREATEST(
            CAST(0.0 AS DOUBLE PRECISION),
            CAST(1.0 AS DOUBLE PRECISION) - CAST(CAST(1793000000.0 AS DOUBLE PRECISION) - ts AS DOUBLE PRECISION) / CAST(86400.0 AS DOUBLE PRECISION) / CAST(365.0 AS DOUBLE PRECISION)
          )
        END
      ),
      CAST(0.0 AS DOUBLE PRECISION)
    ) + -COALESCE(
      SUM(CASE WHEN match_21 THEN CAST(15.0 AS DOUBLE PRECISION) END),
      CAST(0.0 AS DOUBLE PRECISION)
    ) AS points
  FROM ev
  WHERE
    match_12
    OR match_13
    OR match_14
    OR match_15
    OR match_16
    OR match_17
    OR match_18
    OR match_19
    OR match_20
    OR match_21
  GROUP BY
    person_id
  UNION ALL
  SELECT
    person_id,
    points
  FROM sig_cloud_binge
  UNION ALL
  SELECT
    person_id,
    points
  FROM sig_service_binge
  UNION ALL
  SELECT
    person_id,
    points
  FROM sig_vendor_comparison
  UNION ALL
  SELECT
    person_id,
    points
  FROM prod_active_trial_team
), engagement AS (
  SELECT
    person_id,
    SUM(points) AS engagement
  FROM points
  GROUP BY
    person_id
), scored AS (
  SELECT
    p.person_id,
    p.email,
    p.external_id,
    CAST(0.0 AS DOUBLE PRECISION) + CASE
      WHEN industry IN ('software', 'finance', 'logistics', 'retail')
      THEN CAST(15.0 AS DOUBLE PRECISION)
      ELSE CAST(0.0 AS DOUBLE PRECISION)
    END + CASE
      WHEN industry IN ('manufacturing', 'healthcare', 'energy')
      THEN CAST(10.0 AS DOUBLE PRECISION)
      ELSE CAST(0.0 AS DOUBLE PRECISION)
    END + CASE
      WHEN industry IN ('public_sector', 'education')
      THEN CAST(-5.0 AS DOUBLE PRECISION)
      ELSE CAST(0.0 AS DOUBLE PRECISION)
    END + CASE
      WHEN country = 'FI'
      THEN CAST(10.0 AS DOUBLE PRECISION)
      ELSE CAST(0.0 AS DOUBLE PRECISION)
    END + CASE
      WHEN country IN ('SE', 'NO', 'DK', 'EE')
      THEN CAST(8.0 AS DOUBLE PRECISION)
      ELSE CAST(0.0 AS DOUBLE PRECISION)
    END + CASE
      WHEN CAST(employees AS DOUBLE PRECISION) BETWEEN 250.0 AND 999.0
      THEN CAST(20.0 AS DOUBLE PRECISION)
      ELSE CAST(0.0 AS DOUBLE PRECISION)
    END + CASE
      WHEN CAST(employees AS DOUBLE PRECISION) BETWEEN 50.0 AND 249.0
      THEN CAST(12.0 AS DOUBLE PRECISION)
      ELSE CAST(0.0 AS DOUBLE PRECISION)
    END + CASE
      WHEN CAST(employees AS DOUBLE PRECISION) >= 1000.0
      THEN CAST(12.0 AS DOUBLE PRECISION)
      ELSE CAST(0.0 AS DOUBLE PRECISION)
    END + CASE
      WHEN CAST(employees AS DOUBLE PRECISION) < 50.0
      THEN CAST(-5.0 AS DOUBLE PRECISION)
      ELSE CAST(0.0 AS DOUBLE PRECISION)
    END + CASE
      WHEN revenue_band IN ('10M-50M', '50M-250M', '250M-1B')
      THEN CAST(5.0 AS DOUBLE PRECISION)
      ELSE CAST(0.0 AS DOUBLE PRECISION)
    END + CASE
      WHEN tier = 'most_wanted'
      THEN CAST(20.0 AS DOUBLE PRECISION)
      ELSE CAST(0.0 AS DOUBLE PRECISION)
    END + CASE
      WHEN tier = 'tier_2'
      THEN CAST(12.0 AS DOUBLE PRECISION)
      ELSE CAST(0.0 AS DOUBLE PRECISION)
    END + CASE
      WHEN tier = 'tier_3'
      THEN CAST(8.0 AS DOUBLE PRECISION)
      ELSE CAST(0.0 AS DOUBLE PRECISION)
    END + CASE
      WHEN role = 'decision_maker'
      THEN CAST(5.0 AS DOUBLE PRECISION)
      ELSE CAST(0.0 AS DOUBLE PRECISION)
    END + CASE
      WHEN role = 'influencer'
      THEN CAST(3.0 AS DOUBLE PRECISION)
      ELSE CAST(0.0 AS DOUBLE PRECISION)
    END + CASE
      WHEN title ~* '\y(cio|cto|it director|head of it|tietohallintojohtaja|teknologiajohtaja)\y'
      THEN CAST(3.0 AS DOUBLE PRECISION)
      ELSE CAST(0.0 AS DOUBLE PRECISION)
    END + CASE
      WHEN title ~* '\y(hr|marketing|sales|assistant)\y'
      THEN CAST(-5.0 AS DOUBLE PRECISION)
      ELSE CAST(0.0 AS DOUBLE PRECISION)
    END + CASE
      WHEN title ~* 'student|opiskelija|harjoittelija|intern'
      THEN CAST(-40.0 AS DOUBLE PRECISION)
      ELSE CAST(0.0 AS DOUBLE PRECISION)
    END + CASE
      WHEN account_name ~* '\y(consulting|cloud|solutions)\y'
      THEN CAST(-100.0 AS DOUBLE PRECISION)
      ELSE CAST(0.0 AS DOUBLE PRECISION)
    END + CASE
      WHEN (
        account_domain IS NULL OR account_domain = ''
      )
      THEN CAST(-20.0 AS DOUBLE PRECISION)
      ELSE CAST(0.0 AS DOUBLE PRECISION)
    END + CASE
      WHEN consent = 'withdrawn'
      THEN CAST(-10.0 AS DOUBLE PRECISION)
      ELSE CAST(0.0 AS DOUBLE PRECISION)
    END AS fit,
    COALESCE(engagement.engagement, CAST(0.0 AS DOUBLE PRECISION)) AS engagement,
    NOT hand_raisers.person_id IS NULL AS hand_raiser,
    COALESCE(sig_cloud_binge.active, FALSE) AS signal__cloud_binge,
    COALESCE(sig_service_binge.active, FALSE) AS signal__service_binge,
    COALESCE(sig_vendor_comparison.active, FALSE) AS signal__vendor_comparison,
    COALESCE(prod_active_trial_team.active, FALSE) AS product__active_trial_team,
    stage.stage_rank
  FROM person AS p
  LEFT JOIN engagement
    ON engagement.person_id = p.person_id
  LEFT JOIN hand_raisers
    ON hand_raisers.person_id = p.person_id
  LEFT JOIN sig_cloud_binge
    ON sig_cloud_binge.person_id = p.person_id
  LEFT JOIN sig_service_binge
    ON sig_service_binge.person_id = p.person_id
  LEFT JOIN sig_vendor_comparison
    ON sig_vendor_comparison.person_id = p.person_id
  LEFT JOIN prod_active_trial_team
    ON prod_active_trial_team.person_id = p.person_id
  LEFT JOIN stage
    ON stage.person_id = p.person_id
), graded AS (
  SELECT
    person_id,
    email,
    external_id,
    fit,
    CASE
      WHEN fit >= CAST(60.0 AS DOUBLE PRECISION)
      THEN 'A'
      WHEN fit >= CAST(40.0 AS DOUBLE PRECISION)
      THEN 'B'
      WHEN fit >= CAST(20.0 AS DOUBLE PRECISION)
      THEN 'C'
      ELSE 'D'
    END AS grade,
    CASE
      WHEN fit >= CAST(60.0 AS DOUBLE PRECISION)
      THEN 4
      WHEN fit >= CAST(40.0 AS DOUBLE PRECISION)
      THEN 3
      WHEN fit >= CAST(20.0 AS DOUBLE PRECISION)
      THEN 2
      ELSE 1
    END AS grade_rank,
    engagement,
    fit + engagement AS score,
    hand_raiser,
    signal__cloud_binge,
    signal__service_binge,
    signal__vendor_comparison,
    product__active_trial_team,
    stage_rank
  FROM scored
)
SELECT
  person_id,
  email,
  external_id,
  fit,
  grade,
  engagement,
  score,
  COALESCE(
    COALESCE(grade_rank >= 3, FALSE)
    AND (
      COALESCE(engagement >= 40.0, FALSE)
      OR signal__vendor_comparison
      OR (
        (
          signal__cloud_binge OR signal__service_binge
        )
        AND COALESCE(stage_rank >= 2, FALSE)
      )
    ),
    FALSE
  ) AS mql,
  COALESCE(product__active_trial_team AND COALESCE(grade_rank <> 1, FALSE), FALSE) AS pql,
  hand_raiser,
  signal__cloud_binge,
  signal__service_binge,
  signal__vendor_comparison,
  product__active_trial_team
FROM graded
ORDER BY
  person_id
