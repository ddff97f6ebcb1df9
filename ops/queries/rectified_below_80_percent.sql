-- Which units inspected in the 13th committee's 4th round reported fewer than 80% of their problems rectified?
SELECT issuer, team, feedback_on, problems_done, problems_total,
       round(100.0 * problems_done / problems_total, 1) AS percent_done
FROM notices
WHERE term = 13 AND round = 4 AND problems_total > 0 AND problems_done IS NOT NULL
  AND problems_done < 0.8 * problems_total
ORDER BY percent_done;
