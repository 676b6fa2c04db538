-- Argo CD health of a clawrate CanaryRelease, from its phase and conditions
-- (operator/src/main/java/dev/clawrate/operator/canary/ReleaseConditions.java, ReleasePhase.java).
local hs = {}
if obj.status == nil or obj.status.phase == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the clawrate operator to adopt the release"
  if obj.status ~= nil and obj.status.conditions ~= nil then
    -- A release whose spec cannot be acted on reports conditions but no phase.
    for _, condition in ipairs(obj.status.conditions) do
      if condition.type == "Degraded" and condition.status == "True" then
        hs.status = "Degraded"
        hs.message = condition.message or ""
      end
    end
  end
  return hs
end
local generation = obj.metadata.generation
local observed = obj.status.observedGeneration
if generation ~= nil and (observed == nil or observed < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the clawrate operator to observe generation " .. generation
  return hs
end
local conditions = {}
for _, condition in ipairs(obj.status.conditions or {}) do
  conditions[condition.type] = condition
end
local function isTrue(type)
  return conditions[type] ~= nil and conditions[type].status == "True"
end
local phase = obj.status.phase
local message = obj.status.message or phase
if isTrue("Conflict") then
  hs.status = "Degraded"
  hs.message = conditions["Conflict"].message or "another CanaryRelease governs the target"
  return hs
end
if phase == "RolledBack" then
  hs.status = "Degraded"
  hs.message = (conditions["Degraded"] and conditions["Degraded"].message) or message
  return hs
end
if isTrue("Degraded") then
  hs.status = "Degraded"
  hs.message = conditions["Degraded"].message or message
  return hs
end
if phase == "Paused" then
  hs.status = "Suspended"
  hs.message = message
  return hs
end
if phase == "Shadowing" or phase == "Progressing" or phase == "Promoting" then
  hs.status = "Progressing"
  hs.message = phase .. ": " .. message
  return hs
end
if phase == "Idle" or phase == "Succeeded" then
  hs.status = "Healthy"
  hs.message = (conditions["Ready"] and conditions["Ready"].message) or message
  return hs
end
hs.status = "Unknown"
hs.message = "unknown phase " .. phase
return hs
